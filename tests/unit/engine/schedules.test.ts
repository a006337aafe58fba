// Q1–Q2: the slots of a schedule (cron in a time zone, or one date), their problems (D2), and what
// one tick does with the slots due since the last decided one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	dueSlots,
	latestSlot,
	nextSlot,
	planSlots,
	SCHEDULE_GRACE_MS,
	type ScheduleDefinition,
	SKIPPED_COUNT_LIMIT,
	scheduleLabel,
	scheduleProblems,
	slotWallTime,
	type WorkflowDefinition,
} from "../../../src/engine/index.ts";

const utc = (iso: string) => Date.parse(iso);
const iso = (slots: number[]) => slots.map((s) => new Date(s).toISOString());
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function workflow(schedules: ScheduleDefinition[], startForm?: WorkflowDefinition["startForm"]) {
	const def: WorkflowDefinition = {
		key: "report",
		name: "Report",
		schedules,
		nodes: [{ key: "a", task: "dummy", start: true, end: true }],
		transitions: [],
	};
	if (startForm) def.startForm = startForm;
	return def;
}

describe("Q1 schedule slots", () => {
	it("Q1 a cron in Europe/Paris keeps its wall-clock hour across both DST changes", () => {
		const daily = { cron: "0 9 * * *", timezone: "Europe/Paris" };
		// Spring: 29 March 2026 the clocks go from 02:00 CET to 03:00 CEST (UTC+1 → UTC+2).
		expect(
			iso(dueSlots(daily, utc("2026-03-27T12:00:00Z"), utc("2026-03-30T12:00:00Z"), 10)),
		).toEqual(["2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"]);
		// Autumn: 25 October 2026 the clocks go back from 03:00 CEST to 02:00 CET.
		expect(
			iso(dueSlots(daily, utc("2026-10-23T12:00:00Z"), utc("2026-10-26T12:00:00Z"), 10)),
		).toEqual(["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
		expect(slotWallTime(utc("2026-03-29T07:00:00Z"), "Europe/Paris")).toBe("2026-03-29 09:00");
		expect(slotWallTime(utc("2026-10-25T08:00:00Z"), "Europe/Paris")).toBe("2026-10-25 09:00");
	});

	it("Q1 a fixed time the spring change skips runs when the clock has jumped; an interval cron runs on both passes of the repeated hour", () => {
		const at0230 = { cron: "30 2 * * *", timezone: "Europe/Paris" };
		expect(
			iso(dueSlots(at0230, utc("2026-03-28T12:00:00Z"), utc("2026-03-29T12:00:00Z"), 5)),
		).toEqual(["2026-03-29T01:00:00.000Z"]);
		const halfHourly = { cron: "*/30 * * * *", timezone: "Europe/Paris" };
		const autumn = dueSlots(
			halfHourly,
			utc("2026-10-24T23:45:00Z"),
			utc("2026-10-25T02:00:00Z"),
			10,
		);
		// 02:00 and 02:30 happen twice that night; every slot is still 30 minutes after the last.
		expect(iso(autumn)).toEqual([
			"2026-10-25T00:00:00.000Z",
			"2026-10-25T00:30:00.000Z",
			"2026-10-25T01:00:00.000Z",
			"2026-10-25T01:30:00.000Z",
			"2026-10-25T02:00:00.000Z",
		]);
		expect(autumn.map((s) => slotWallTime(s, "Europe/Paris").slice(11))).toEqual([
			"02:00",
			"02:30",
			"02:00",
			"02:30",
			"03:00",
		]);
	});

	it("Q1 a cron without a time zone is read in UTC", () => {
		const weekdays = { cron: "0 9 * * 1-5" };
		// Friday 2026-05-01 to Tuesday 2026-05-05: Friday, Monday, Tuesday.
		expect(
			iso(dueSlots(weekdays, utc("2026-05-01T00:00:00Z"), utc("2026-05-05T23:59:00Z"), 10)),
		).toEqual(["2026-05-01T09:00:00.000Z", "2026-05-04T09:00:00.000Z", "2026-05-05T09:00:00.000Z"]);
		expect(scheduleLabel(weekdays)).toBe("0 9 * * 1-5 (UTC)");
		expect(scheduleLabel({ ...weekdays, name: "Morning report" })).toBe("Morning report");
	});

	it("Q1 `at` is one slot: with an offset that instant, without one a wall-clock time in the schedule's zone", () => {
		expect(nextSlot({ at: "2026-05-01T09:00:00+02:00" }, 0)).toBe(utc("2026-05-01T07:00:00Z"));
		expect(nextSlot({ at: "2026-05-01T09:00:00Z" }, 0)).toBe(utc("2026-05-01T09:00:00Z"));
		expect(nextSlot({ at: "2026-05-01T09:00" }, 0)).toBe(utc("2026-05-01T09:00:00Z"));
		expect(nextSlot({ at: "2026-05-01T09:00", timezone: "Europe/Paris" }, 0)).toBe(
			utc("2026-05-01T07:00:00Z"),
		);
		expect(nextSlot({ at: "2026-05-01T09:00:30.250Z" }, 0)).toBe(utc("2026-05-01T09:00:30.250Z"));
		// 02:30 does not exist in Paris on 29 March 2026: it moves forward by the hour the clock skips.
		expect(nextSlot({ at: "2026-03-29T02:30", timezone: "Europe/Paris" }, 0)).toBe(
			utc("2026-03-29T01:30:00Z"),
		);
		// 02:30 happens twice on 25 October 2026: the first time.
		expect(nextSlot({ at: "2026-10-25T02:30", timezone: "Europe/Paris" }, 0)).toBe(
			utc("2026-10-25T00:30:00Z"),
		);
		const once = { at: "2026-05-01T09:00:00Z" };
		const at = utc(once.at);
		expect(nextSlot(once, at)).toBeNull();
		expect(nextSlot(once, at - 1)).toBe(at);
		expect(dueSlots(once, 0, at, 10)).toEqual([at]);
		expect(dueSlots(once, at, at + HOUR, 10)).toEqual([]);
	});

	it("Q1 dueSlots keeps to its bounds: the start excluded, the end included, at most `limit`", () => {
		const hourly = { cron: "0 * * * *" };
		const nine = utc("2026-01-01T09:00:00Z");
		expect(dueSlots(hourly, nine, nine + 3 * HOUR, 10)).toEqual([
			nine + HOUR,
			nine + 2 * HOUR,
			nine + 3 * HOUR,
		]);
		expect(dueSlots(hourly, nine - 1, nine, 10)).toEqual([nine]);
		expect(dueSlots(hourly, nine, nine + HOUR - 1, 10)).toEqual([]);
		expect(dueSlots(hourly, nine, nine + 10 * HOUR, 2)).toEqual([nine + HOUR, nine + 2 * HOUR]);
		expect(dueSlots(hourly, nine, nine, 10)).toEqual([]);
		expect(dueSlots(hourly, nine + HOUR, nine, 10)).toEqual([]);
		expect(dueSlots(hourly, nine, nine + 10 * HOUR, 0)).toEqual([]);
		// Milliseconds in the bounds do not let a slot in or out.
		expect(dueSlots(hourly, nine + 500, nine + HOUR + 500, 10)).toEqual([nine + HOUR]);
		expect(nextSlot(hourly, nine)).toBe(nine + HOUR);
		expect(nextSlot(hourly, nine - 1)).toBe(nine);
		expect(latestSlot(hourly, nine - HOUR, nine + HOUR - 1)).toBe(nine);
		expect(latestSlot(hourly, nine, nine + HOUR - 1)).toBeNull();
	});
});

describe("Q2 what a tick starts and skips", () => {
	const everyTen = { cron: "*/10 * * * *" };
	const t = utc("2026-06-01T12:00:00Z");

	it("Q2 a tick on time starts the one due slot and skips nothing", () => {
		expect(planSlots(everyTen, t - MINUTE, t)).toEqual({ start: t, skipped: null });
		expect(planSlots(everyTen, t, t + 9 * MINUTE)).toEqual({ start: null, skipped: null });
	});

	it("Q2 after a short outage only the latest missed slot starts; the others are skipped", () => {
		// Down from 11:15 to 12:05: 11:20 … 12:00 were due, six slots.
		const plan = planSlots(everyTen, t - 45 * MINUTE, t + 5 * MINUTE);
		expect(plan).toEqual({
			start: t,
			skipped: { first: t - 40 * MINUTE, last: t - 10 * MINUTE, count: 4 },
		});
	});

	it("Q2 a latest missed slot older than the grace window is skipped too", () => {
		const daily = { cron: "0 6 * * *" };
		const six = utc("2026-06-01T06:00:00Z");
		expect(planSlots(daily, six - 1, six + SCHEDULE_GRACE_MS)).toEqual({
			start: six,
			skipped: null,
		});
		expect(planSlots(daily, six - 1, six + SCHEDULE_GRACE_MS + 1)).toEqual({
			start: null,
			skipped: { first: six, last: six, count: 1 },
		});
		const once = { at: "2026-06-01T06:00:00Z" };
		expect(planSlots(once, 0, six + 2 * HOUR)).toEqual({
			start: null,
			skipped: { first: six, last: six, count: 1 },
		});
	});

	it("Q2 a long outage is one skipped run, its count bounded", () => {
		const everyMinute = { cron: "* * * * *" };
		const plan = planSlots(everyMinute, t - 30 * 24 * HOUR, t);
		expect(plan.start).toBe(t);
		expect(plan.skipped).toEqual({
			first: t - 30 * 24 * HOUR + MINUTE,
			last: t - MINUTE,
			count: SKIPPED_COUNT_LIMIT,
		});
	});
});

describe("D2 schedule problems", () => {
	it("D2 reports each bad schedule with where it is", () => {
		const def = workflow(
			[
				{ cron: "0 9 * * 1-5", timezone: "Europe/Paris", params: { region: "EU" } },
				{ cron: "61 * * * *" },
				{ cron: "0 0 9 * * *" },
				{ cron: "0 9 * * *", timezone: "Mars/Olympus" },
				{ at: "next Tuesday" },
				{ at: "2026-02-30T09:00:00Z" },
				{ cron: "0 0 30 2 *" },
				{ cron: "0 9 * * *", params: { regoin: "EU" } },
				{ at: "2026-05-01T09:00", params: { region: 4 } },
			],
			{ region: { label: "Region", type: "text", required: true, default: "EU" } },
		);
		const problems = scheduleProblems(def);
		expect(problems.map((p) => [p.code, p.path])).toEqual([
			["SCHEDULE_CRON_INVALID", "schedules[1].cron"],
			["SCHEDULE_CRON_INVALID", "schedules[2].cron"],
			["SCHEDULE_TIMEZONE_UNKNOWN", "schedules[3].timezone"],
			["SCHEDULE_AT_INVALID", "schedules[4].at"],
			["SCHEDULE_AT_INVALID", "schedules[5].at"],
			["SCHEDULE_NEVER_DUE", "schedules[6].cron"],
			["SCHEDULE_PARAMS_REFUSED", "schedules[7].params.regoin"],
			["SCHEDULE_PARAMS_REFUSED", "schedules[8].params.region"],
		]);
		expect(problems.every((p) => p.severity === "error")).toBe(true);
		expect(problems[1]?.message).toContain("5 parts");
		expect(problems[6]?.message).toContain("start form");
	});

	it("D2 a start field the schedule leaves out and that has no default is refused", () => {
		const def = workflow([{ cron: "0 9 * * *" }], {
			region: { label: "Region", type: "text", required: true },
		});
		expect(scheduleProblems(def).map((p) => [p.code, p.path])).toEqual([
			["SCHEDULE_PARAMS_REFUSED", "schedules[0].params.region"],
		]);
		expect(scheduleProblems(workflow([]))).toEqual([]);
		expect(scheduleProblems({ ...workflow([]), schedules: undefined })).toEqual([]);
	});

	it("D2 a workflow without a start form takes no params from its schedule either", () => {
		const def = workflow([{ cron: "0 9 * * *", params: { x: 1 } }]);
		expect(scheduleProblems(def).map((p) => p.path)).toEqual(["schedules[0].params.x"]);
	});
});

// Random schedules and windows: what ticks see must add up to what the whole window holds.
const scheduleArb: fc.Arbitrary<ScheduleDefinition> = fc.oneof(
	fc.record({
		cron: fc.constantFrom(
			"* * * * *",
			"*/7 * * * *",
			"0 * * * *",
			"30 2 * * *",
			"15 1-3 * * *",
			"0 9 * * 1-5",
			"0 0 1 * *",
		),
		timezone: fc.constantFrom("UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"),
	}),
	fc
		.date({
			min: new Date("2026-01-01T00:00:00Z"),
			max: new Date("2026-12-31T00:00:00Z"),
			noInvalidDate: true,
		})
		.map((d) => ({ at: d.toISOString() })),
);

const windowArb = fc.record({
	// Around both DST changes of 2026 and a random day of the year.
	start: fc.oneof(
		fc.integer({ min: utc("2026-03-27T00:00:00Z"), max: utc("2026-03-30T00:00:00Z") }),
		fc.integer({ min: utc("2026-10-23T00:00:00Z"), max: utc("2026-11-02T00:00:00Z") }),
		fc.integer({ min: utc("2026-01-01T00:00:00Z"), max: utc("2026-12-31T00:00:00Z") }),
	),
	length: fc.integer({ min: 0, max: 6 * HOUR }),
	cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
});

describe("Q1 properties", { timeout: 60_000 }, () => {
	it("Q1 slots are strictly increasing, inside their bounds, and ticks over consecutive windows see each slot once", () => {
		fc.assert(
			fc.property(scheduleArb, windowArb, (schedule, { start, length, cuts }) => {
				const end = start + length;
				const whole = dueSlots(schedule, start, end, 10_000);
				for (let i = 0; i < whole.length; i++) {
					const slot = whole[i] as number;
					expect(slot).toBeGreaterThan(start);
					expect(slot).toBeLessThanOrEqual(end);
					if (i > 0) expect(slot).toBeGreaterThan(whole[i - 1] as number);
				}
				const bounds = [
					start,
					...cuts.map((c) => start + Math.floor(c * length)).sort((a, b) => a - b),
					end,
				];
				const byTicks: number[] = [];
				for (let i = 1; i < bounds.length; i++) {
					byTicks.push(...dueSlots(schedule, bounds[i - 1] as number, bounds[i] as number, 10_000));
				}
				expect(byTicks).toEqual(whole);
				expect(latestSlot(schedule, start, end)).toBe(whole.at(-1) ?? null);
			}),
			{ numRuns: 300, seed: 20260329 },
		);
	});

	it("Q2 a plan accounts for every due slot: the latest starts if fresh, all others are skipped", () => {
		fc.assert(
			fc.property(
				scheduleArb,
				windowArb,
				fc.integer({ min: 0, max: 3 * HOUR }),
				(schedule, { start, length }, grace) => {
					const now = start + length;
					const due = dueSlots(schedule, start, now, 10_000);
					const plan = planSlots(schedule, start, now, grace);
					const latest = due.at(-1);
					if (latest === undefined) {
						expect(plan).toEqual({ start: null, skipped: null });
						return;
					}
					const fresh = now - latest <= grace;
					expect(plan.start).toBe(fresh ? latest : null);
					const skipped = fresh ? due.slice(0, -1) : due;
					if (skipped.length === 0) expect(plan.skipped).toBeNull();
					else {
						expect(plan.skipped).toEqual({
							first: skipped[0],
							last: skipped.at(-1),
							count: Math.min(skipped.length, SKIPPED_COUNT_LIMIT),
						});
					}
				},
			),
			{ numRuns: 300, seed: 1025 },
		);
	});
});
