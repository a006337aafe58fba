// Q1–Q2: when the scheduled starts of a workflow version are due. A schedule has slots: the
// instants its cron names, read in its IANA time zone (croner walks the wall clock through DST
// changes), or the one instant of its `at`. Pure: every instant is epoch ms passed in, never a clock.
import { Cron } from "croner";
import { EngineError } from "./errors.ts";
import type { ScheduleDefinition, WorkflowDefinition } from "./model.ts";
import { type Problem, ProblemList } from "./problems.ts";
import { checkStartParams } from "./start-form.ts";

/** Q2: a missed slot older than this when it is found is skipped, never started. */
export const SCHEDULE_GRACE_MS = 60 * 60_000;
/** Q2: one skipped run counts at most this many slots; a longer outage is "at least" this many. */
export const SKIPPED_COUNT_LIMIT = 1000;
export const DEFAULT_SCHEDULE_TIMEZONE = "UTC";

/** A schedule's slots: a cron read in a time zone, or a single instant. */
type Timing = { kind: "cron"; cron: Cron } | { kind: "at"; at: number };

type TimingCheck =
	| { ok: true; timing: Timing }
	| { ok: false; field: "cron" | "timezone" | "at"; code: string; message: string };

/** Croner compiles a pattern once per schedule object: a tick or a page asks about it often. */
const timings = new WeakMap<ScheduleDefinition, Timing>();

/** The time zone a schedule is read in. */
export function scheduleTimeZone(schedule: ScheduleDefinition): string {
	return schedule.timezone ?? DEFAULT_SCHEDULE_TIMEZONE;
}

/** How pages and the history name a schedule: its name, else its cron and zone, else its date. */
export function scheduleLabel(schedule: ScheduleDefinition): string {
	if (schedule.name) return schedule.name;
	if (schedule.cron !== undefined) return `${schedule.cron} (${scheduleTimeZone(schedule)})`;
	return schedule.at ?? "schedule";
}

/** D2: every problem of the definition's schedules, each with where it is (`schedules[0].cron`). */
export function scheduleProblems(def: WorkflowDefinition): Problem[] {
	const problems = new ProblemList();
	(def.schedules ?? []).forEach((schedule, i) => {
		const checked = readTiming(schedule);
		if (!checked.ok) {
			problems.error(checked.code, `schedules[${i}].${checked.field}`, checked.message);
		} else if (
			checked.timing.kind === "cron" &&
			checked.timing.cron.nextRun(new Date(0)) === null
		) {
			problems.error(
				"SCHEDULE_NEVER_DUE",
				`schedules[${i}].cron`,
				`cron "${schedule.cron}" names no date that exists (like 30 February), so it would never start anything`,
			);
		}
		// T10: a scheduled start gives params like any starter; the start form decides.
		const check = checkStartParams(def, schedule.params ?? {});
		if (!check.ok) {
			for (const [field, message] of Object.entries(check.fields)) {
				const path = field === "" ? `schedules[${i}].params` : `schedules[${i}].params.${field}`;
				problems.error("SCHEDULE_PARAMS_REFUSED", path, message);
			}
		}
	});
	return problems.items;
}

/** The first slot strictly after `after`, or null when there is none. */
export function nextSlot(schedule: ScheduleDefinition, after: number): number | null {
	const timing = timingOf(schedule);
	if (timing.kind === "at") return timing.at > after ? timing.at : null;
	const next = timing.cron.nextRun(new Date(after))?.getTime() ?? null;
	// Croner drops the milliseconds of its reference; the bound stays strict whatever it does.
	return next !== null && next > after ? next : null;
}

/** The latest slot in (fromExclusive, toInclusive], or null. */
export function latestSlot(
	schedule: ScheduleDefinition,
	fromExclusive: number,
	toInclusive: number,
): number | null {
	if (toInclusive <= fromExclusive) return null;
	const timing = timingOf(schedule);
	if (timing.kind === "at") {
		return timing.at > fromExclusive && timing.at <= toInclusive ? timing.at : null;
	}
	// previousRuns looks strictly before its reference, so one millisecond later includes `to`.
	const latest = timing.cron.previousRuns(1, new Date(toInclusive + 1))[0]?.getTime();
	return latest !== undefined && latest > fromExclusive && latest <= toInclusive ? latest : null;
}

/** The slots in (fromExclusive, toInclusive], earliest first, at most `limit` of them. */
export function dueSlots(
	schedule: ScheduleDefinition,
	fromExclusive: number,
	toInclusive: number,
	limit: number,
): number[] {
	const slots: number[] = [];
	let cursor = fromExclusive;
	while (slots.length < limit) {
		const next = nextSlot(schedule, cursor);
		if (next === null || next > toInclusive) break;
		slots.push(next);
		cursor = next;
	}
	return slots;
}

/** Q2: a run of consecutive slots that were missed and will never start. */
export interface SkippedSlots {
	first: number;
	last: number;
	/** How many slots from `first` to `last`, counted up to SKIPPED_COUNT_LIMIT. */
	count: number;
}

/** What one tick does with a schedule's slots in (since, now]. */
export interface SlotPlan {
	/** Q1: the slot to start, if any. */
	start: number | null;
	/** Q2: the due slots that will never start. */
	skipped: SkippedSlots | null;
}

/**
 * Q1–Q2: of the slots due since the last decided one (`sinceExclusive`), a tick starts only the
 * latest, and only when it is at most `graceMs` old; every other due slot is skipped. So an outage
 * starts each schedule at most once when Baton is back, and never a start hours late.
 */
export function planSlots(
	schedule: ScheduleDefinition,
	sinceExclusive: number,
	now: number,
	graceMs: number = SCHEDULE_GRACE_MS,
): SlotPlan {
	const latest = latestSlot(schedule, sinceExclusive, now);
	if (latest === null) return { start: null, skipped: null };
	const start = now - latest <= graceMs ? latest : null;
	const lastSkipped = start === null ? latest : latestSlot(schedule, sinceExclusive, latest - 1);
	if (lastSkipped === null) return { start, skipped: null };
	const first = nextSlot(schedule, sinceExclusive) ?? lastSkipped;
	const count = dueSlots(schedule, sinceExclusive, lastSkipped, SKIPPED_COUNT_LIMIT).length;
	return { start, skipped: { first, last: lastSkipped, count } };
}

/** A slot as the schedule's wall clock shows it: "2026-03-30 09:00" (seconds when not :00). */
export function slotWallTime(slot: number, timeZone: string): string {
	const parts = wallClockParts(slot, timeZone);
	const pad = (n: number) => String(n).padStart(2, "0");
	const seconds = parts.second === 0 ? "" : `:${pad(parts.second)}`;
	return `${parts.year}-${pad(parts.month)}-${pad(parts.day)} ${pad(parts.hour)}:${pad(parts.minute)}${seconds}`;
}

function timingOf(schedule: ScheduleDefinition): Timing {
	const cached = timings.get(schedule);
	if (cached) return cached;
	const checked = readTiming(schedule);
	if (!checked.ok)
		throw new EngineError("invalid_definition", checked.message, { code: checked.code });
	timings.set(schedule, checked.timing);
	return checked.timing;
}

function readTiming(schedule: ScheduleDefinition): TimingCheck {
	const timeZone = scheduleTimeZone(schedule);
	if (!isTimeZone(timeZone)) {
		return {
			ok: false,
			field: "timezone",
			code: "SCHEDULE_TIMEZONE_UNKNOWN",
			message: `"${timeZone}" is not an IANA time zone (like "Europe/Paris" or "UTC")`,
		};
	}
	if (schedule.cron !== undefined) {
		try {
			return { ok: true, timing: { kind: "cron", cron: cronOf(schedule.cron, timeZone) } };
		} catch (e) {
			return {
				ok: false,
				field: "cron",
				code: "SCHEDULE_CRON_INVALID",
				message: `cron "${schedule.cron}" does not parse: ${cronMessage(e)} (five fields: minute hour day-of-month month day-of-week)`,
			};
		}
	}
	const at = schedule.at === undefined ? null : parseAt(schedule.at, timeZone);
	if (at === null) {
		return {
			ok: false,
			field: "at",
			code: "SCHEDULE_AT_INVALID",
			message: `"${schedule.at ?? ""}" is not a date and time like "2026-05-01T09:00" or "2026-05-01T09:00:00+02:00"`,
		};
	}
	return { ok: true, timing: { kind: "at", at } };
}

function cronOf(pattern: string, timeZone: string): Cron {
	// Five fields only: the Cron Trigger runs once a minute, so seconds could not be honoured.
	return new Cron(pattern, { timezone: timeZone, mode: "5-part" });
}

function cronMessage(e: unknown): string {
	const message = e instanceof Error ? e.message : String(e);
	return message.replace(/^CronPattern: /, "");
}

function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat("en-US", { timeZone });
		return true;
	} catch {
		return false;
	}
}

const AT =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Epoch ms of an ISO date-time. With an offset (`Z`, `+02:00`) it is that instant; without one it
 * is a wall-clock time in `timeZone`. A calendar date that does not exist (30 February) is refused
 * rather than rolled over, as Date.parse would.
 */
function parseAt(text: string, timeZone: string): number | null {
	const m = AT.exec(text);
	if (!m) return null;
	const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
		number,
		number,
		number,
		number,
		number,
	];
	const second = Number(m[6] ?? 0);
	const ms = Number((m[7] ?? "0").padEnd(3, "0"));
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
	if (hour > 23 || minute > 59 || second > 59) return null;
	const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	const offset = m[8];
	if (offset === undefined) return wallTimeToEpoch(wall, timeZone);
	if (offset === "Z") return wall;
	const sign = offset.startsWith("-") ? -1 : 1;
	const [oh, om] = offset.slice(1).split(":").map(Number) as [number, number];
	if (oh > 23 || om > 59) return null;
	return wall - sign * (oh * 60 + om) * 60_000;
}

const DAY_MS = 86_400_000;

/**
 * The instant a wall-clock time (given as if it were UTC) happens in `timeZone`. A time that
 * happens twice (the clock goes back) is its first occurrence; a time the clock skips (it goes
 * forward) moves forward by the gap, as croner does for a fixed-time cron.
 */
function wallTimeToEpoch(wall: number, timeZone: string): number {
	const before = offsetAt(wall - DAY_MS, timeZone);
	const after = offsetAt(wall + DAY_MS, timeZone);
	const candidates = [wall - before, wall - after].sort((a, b) => a - b);
	for (const candidate of candidates) {
		if (candidate + offsetAt(candidate, timeZone) === wall) return candidate;
	}
	return wall - before;
}

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/** Building a formatter costs far more than using one; a handful of zones are in use. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockParts(instant: number, timeZone: string): WallClock {
	let format = formatters.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat("en-US", {
			timeZone,
			hourCycle: "h23",
			year: "numeric",
			month: "numeric",
			day: "numeric",
			hour: "numeric",
			minute: "numeric",
			second: "numeric",
		});
		formatters.set(timeZone, format);
	}
	const parts = format.formatToParts(new Date(instant));
	const part = (type: Intl.DateTimeFormatPartTypes) =>
		Number(parts.find((p) => p.type === type)?.value);
	return {
		year: part("year"),
		month: part("month"),
		day: part("day"),
		hour: part("hour"),
		minute: part("minute"),
		second: part("second"),
	};
}

/** The zone's offset from UTC at an instant, in ms (the wall clock minus the instant). */
function offsetAt(instant: number, timeZone: string): number {
	const w = wallClockParts(instant, timeZone);
	const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
	return wall - Math.floor(instant / 1000) * 1000;
}
