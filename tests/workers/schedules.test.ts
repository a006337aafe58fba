// Scheduled starts on the Worker (Q1–Q2): the Cron Trigger's handler, called as workerd would call
// it, with ticks delivered twice, overlapping, after an outage and after a crash; a schedule the
// start form refuses (T10); a new version replacing the schedules; the workflows page.
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { processIdFor, processStub, startProcess } from "../../src/durable/process-client.ts";
import type { ScheduleDefinition, WorkflowDefinition } from "../../src/engine/index.ts";
import worker from "../../src/index.ts";
import { signedIn } from "./auth-fixtures.ts";
import { expectIndexMatches, publish, view } from "./process-fixtures.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let counter = 0;

function definition(
	schedules: ScheduleDefinition[],
	extra: Partial<WorkflowDefinition> = {},
): WorkflowDefinition {
	counter += 1;
	return {
		key: `scheduled-${counter}`,
		name: `Scheduled ${counter}`,
		schedules,
		nodes: [{ key: "a", task: "dummy", start: true, end: true, inline: true }],
		transitions: [],
		...extra,
	};
}

/** Publishes `def` and returns its key, version and publication time. */
async function publishScheduled(def: WorkflowDefinition) {
	const { key, version } = await publish(def);
	return { key, version, publishedAt: await publishedAt(key, version) };
}

async function publishedAt(key: string, version: number): Promise<number> {
	const row = await env.DB.prepare(
		"SELECT published_at AS at FROM workflow_versions WHERE workflow_key = ? AND version = ?",
	)
		.bind(key, version)
		.first<{ at: number }>();
	if (!row) throw new Error(`no version ${version} of ${key}`);
	return row.at;
}

/** The Cron Trigger's tick at `at`, handed to the Worker's handler as workerd hands it. */
async function tick(at: number): Promise<void> {
	await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env);
}

interface SlotRow {
	version: number;
	schedule_index: number;
	slot_at: number;
	outcome: string;
	process_id: string | null;
	skipped_from: number | null;
	skipped_count: number | null;
	reason: string | null;
}

async function slotRows(key: string): Promise<SlotRow[]> {
	const { results } = await env.DB.prepare(
		`SELECT version, schedule_index, slot_at, outcome, process_id, skipped_from, skipped_count, reason
		 FROM schedule_slots WHERE workflow_key = ? ORDER BY version, schedule_index, slot_at`,
	)
		.bind(key)
		.all<SlotRow>();
	return results;
}

/** Processes of the workflow in the D1 index, once every start's index rows are written. */
async function indexedProcesses(key: string, started: string[]): Promise<string[]> {
	for (const id of started) await expectIndexMatches(id);
	const { results } = await env.DB.prepare(
		"SELECT id FROM processes WHERE workflow_key = ? ORDER BY id",
	)
		.bind(key)
		.all<{ id: string }>();
	return results.map((r) => r.id);
}

/** The process id a slot names (S3): derived from workflow, version, schedule and slot. */
function slotProcessId(key: string, version: number, index: number, slot: number) {
	return processIdFor(`schedule:${key}:${version}:${index}:${slot}`);
}

const every = (ms: number, after: number) => Math.floor(after / ms) * ms + ms;

describe("Q1 each due slot starts exactly once", () => {
	it("Q1 a tick delivered twice starts one process for its slot, with the schedule's params and the schedule as its starter", async () => {
		const wf = await publishScheduled(
			definition([{ cron: "*/5 * * * *", name: "Every five", params: { region: "EU" } }], {
				startForm: { region: { label: "Region", required: true } },
			}),
		);
		const slot = every(5 * MINUTE, wf.publishedAt);
		await tick(slot + 20_000);
		await tick(slot + 20_000);
		const id = await slotProcessId(wf.key, wf.version, 0, slot);
		expect(await slotRows(wf.key)).toEqual([
			expect.objectContaining({ slot_at: slot, outcome: "started", process_id: id }),
		]);
		const process = await view(id);
		expect(process.state.params).toEqual({ region: "EU" });
		expect(process.state.name).toMatch(/^Every five · \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
		expect(process.startedBy).toBe("schedule:Every five");
		const history = await processStub(env, id).history();
		expect(history[0]).toMatchObject({ type: "ProcessCreated", actor: "schedule:Every five" });
		expect(await indexedProcesses(wf.key, [id])).toEqual([id]);
	});

	it("Q1 ticks that overlap decide each slot once, and only a slot decided as started has a process", async () => {
		const wf = await publishScheduled(definition([{ cron: "*/5 * * * *" }]));
		const slot = every(5 * MINUTE, wf.publishedAt);
		const later = slot + 5 * MINUTE;
		// The same tick twice, and the next slot's tick, all at once: each reads where the schedule
		// stands before the others have written, so two of them may disagree about `slot` (Q2: the
		// later tick sees it missed); the first to record it decides.
		await Promise.all([tick(slot + 1000), tick(slot + 1000), tick(later + 1000)]);
		const rows = await slotRows(wf.key);
		expect(rows.map((r) => r.slot_at)).toEqual([slot, later]);
		expect(rows[1]).toMatchObject({ outcome: "started" });
		expect(["started", "skipped"]).toContain(rows[0]?.outcome);
		const started: string[] = [];
		for (const row of rows) {
			const id = await slotProcessId(wf.key, wf.version, 0, row.slot_at);
			const process = await processStub(env, id).view();
			if (row.outcome === "started") {
				expect(process?.state.status).toBe("SUCCESS");
				started.push(id);
			} else expect(process).toBeNull();
		}
		expect(await indexedProcesses(wf.key, started)).toEqual([...started].sort());
	});

	it("Q1 a start decided but not confirmed (the tick died) is made by the next tick, once", async () => {
		const wf = await publishScheduled(
			definition([{ cron: "*/5 * * * *" }, { cron: "*/5 * * * *", name: "second" }]),
		);
		const slot = every(5 * MINUTE, wf.publishedAt);
		const ids = await Promise.all(
			[0, 1].map((index) => slotProcessId(wf.key, wf.version, index, slot)),
		);
		// Both slots were decided; the tick died before starting the first, and after starting the
		// second but before recording it.
		for (const [index, id] of ids.entries()) {
			await env.DB.prepare(
				`INSERT INTO schedule_slots (workflow_key, version, schedule_index, slot_at, outcome, process_id, decided_at)
				 VALUES (?, ?, ?, ?, 'starting', ?, ?)`,
			)
				.bind(wf.key, wf.version, index, slot, id, slot)
				.run();
		}
		const crashed = await startProcess(env, {
			workflowKey: wf.key,
			version: wf.version,
			idempotencyKey: `schedule:${wf.key}:${wf.version}:1:${slot}`,
		});
		expect(crashed.processId).toBe(ids[1]);
		await tick(slot + 2 * MINUTE);
		expect((await slotRows(wf.key)).map((r) => [r.schedule_index, r.slot_at, r.outcome])).toEqual([
			[0, slot, "started"],
			[1, slot, "started"],
		]);
		expect(await indexedProcesses(wf.key, ids)).toEqual([...ids].sort());
	});

	it("Q1 publishing a new version replaces the schedules: only the latest version's run", async () => {
		const v1 = await publishScheduled(definition([{ cron: "*/5 * * * *", name: "old" }]));
		const slot = every(5 * MINUTE, v1.publishedAt);
		await tick(slot + 1000);
		const v2 = await publishScheduled({
			...definition([{ cron: "*/10 * * * *", name: "new" }]),
			key: v1.key,
		});
		expect(v2.version).toBe(v1.version + 1);
		const next = every(10 * MINUTE, slot);
		await tick(next + 1000);
		const rows = await slotRows(v1.key);
		expect(rows.filter((r) => r.version === v1.version).map((r) => [r.slot_at, r.outcome])).toEqual(
			[[slot, "started"]],
		);
		const latest = rows.filter((r) => r.version === v2.version).at(-1);
		expect(latest).toMatchObject({ slot_at: next, outcome: "started" });
		const process = await view(await slotProcessId(v1.key, v2.version, 0, next));
		expect(process.state.workflow.version).toBe(v2.version);
		expect(process.startedBy).toBe("schedule:new");
	});
});

describe("Q2 missed slots", () => {
	it("Q2 after an outage a schedule starts only its latest missed slot; the earlier ones are recorded skipped", async () => {
		const wf = await publishScheduled(definition([{ cron: "0 * * * *", name: "Hourly" }]));
		const first = every(HOUR, wf.publishedAt);
		// No tick ran for the slots `first` and `first + 1h`; Baton is back 10 minutes after the third.
		await tick(first + 2 * HOUR + 10 * MINUTE);
		const id = await slotProcessId(wf.key, wf.version, 0, first + 2 * HOUR);
		expect(await slotRows(wf.key)).toEqual([
			expect.objectContaining({
				slot_at: first + HOUR,
				outcome: "skipped",
				skipped_from: first,
				skipped_count: 2,
				process_id: null,
			}),
			expect.objectContaining({ slot_at: first + 2 * HOUR, outcome: "started", process_id: id }),
		]);
		for (const missed of [first, first + HOUR]) {
			const never = await slotProcessId(wf.key, wf.version, 0, missed);
			expect(await processStub(env, never).view()).toBeNull();
		}
		expect(await indexedProcesses(wf.key, [id])).toEqual([id]);
	});

	it("Q2 a slot missed by more than the grace window is skipped and never started", async () => {
		const at = Date.now() + 10 * MINUTE;
		const wf = await publishScheduled(definition([{ at: new Date(at).toISOString() }]));
		await tick(at + 2 * HOUR);
		await tick(at + 3 * HOUR);
		expect(await slotRows(wf.key)).toEqual([
			expect.objectContaining({ slot_at: at, outcome: "skipped", skipped_count: 1 }),
		]);
		const never = await slotProcessId(wf.key, wf.version, 0, at);
		expect(await processStub(env, never).view()).toBeNull();
		expect(await indexedProcesses(wf.key, [])).toEqual([]);
	});
});

describe("T10 a schedule's params meet the start form", () => {
	it("T10 a schedule the start form refuses is recorded refused, starts nothing, and is shown", async () => {
		// Publication now refuses such a schedule (D2); a version published before that check runs
		// as it was, so it is written to D1 directly here.
		const def = definition([{ cron: "*/5 * * * *", name: "Typo", params: { regoin: "EU" } }], {
			startForm: { region: { label: "Region", required: true } },
		});
		const publishedAt = Date.now();
		await env.DB.batch([
			env.DB.prepare(
				"INSERT INTO workflows (key, name, latest_version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)",
			).bind(def.key, def.name, publishedAt, publishedAt),
			env.DB.prepare(
				"INSERT INTO workflow_versions (workflow_key, version, definition, published_at) VALUES (?, 1, ?, ?)",
			).bind(def.key, JSON.stringify(def), publishedAt),
		]);
		const slot = every(5 * MINUTE, publishedAt);
		await tick(slot + 1000);
		await tick(slot + 2000);
		const id = await slotProcessId(def.key, 1, 0, slot);
		const rows = await slotRows(def.key);
		expect(rows).toEqual([
			expect.objectContaining({ slot_at: slot, outcome: "refused", process_id: id }),
		]);
		expect(rows[0]?.reason).toContain("regoin");
		expect(await processStub(env, id).view()).toBeNull();

		const person = await signedIn({ name: "reader" });
		const html = await (await person.get("/workflows")).text();
		const card = html.slice(html.indexOf(`id="workflow-${def.key}"`));
		expect(card).toContain("Refused: ");
		expect(card).toMatch(/class="text-danger">[^<]*regoin/);
	});
});

describe("the workflows page", () => {
	it("Q1 lists each schedule with its next start in its own zone and in UTC, and its latest slots", async () => {
		const wf = await publishScheduled(
			definition([
				{ cron: "0 9 * * 1-5", timezone: "Europe/Paris", name: "Morning report" },
				{ cron: "*/5 * * * *", name: "Pulse" },
				{ at: "2020-01-01T00:00:00Z", name: "Long gone" },
			]),
		);
		const slot = every(5 * MINUTE, wf.publishedAt);
		await tick(slot + 1000);
		const id = await slotProcessId(wf.key, wf.version, 1, slot);
		const person = await signedIn({ name: "viewer" });
		const html = await (await person.get("/workflows")).text();
		const card = html.slice(html.indexOf(`id="workflow-${wf.key}"`));
		expect(card).toContain(`id="workflow-${wf.key}-schedules"`);
		expect(card).toContain("Morning report");
		expect(card).toContain("Cron “0 9 * * 1-5”, Europe/Paris time");
		expect(card).toMatch(
			/Next start: <time datetime="[^"]+" data-local="">\d{4}-\d\d-\d\d 09:00 Europe\/Paris<\/time><span class="muted"> \(\d{4}-\d\d-\d\d 0[78]:00 UTC\)<\/span>/,
		);
		expect(card).toContain(`aria-label="Latest slots of Pulse"`);
		expect(card).toContain(
			`Started: <time datetime="${new Date(slot).toISOString()}" data-local="">`,
		);
		expect(card).toContain(`href="/processes/${id}"`);
		// A date already past has no next start.
		expect(card).toMatch(/Long gone[\s\S]*?Next start: <span class="muted">none<\/span>/);
	});
});

describe("bookkeeping", () => {
	it("Q1 settled slots older than the retention are forgotten, but never a schedule's latest", async () => {
		const now = Date.now();
		const old = now - 200 * 24 * HOUR;
		const rows: [index: number, slot: number, outcome: string][] = [
			[0, old, "started"],
			[0, old + HOUR, "skipped"],
			[0, old + 2 * HOUR, "refused"],
			// Another schedule's newer slot does not make the first one's latest forgettable.
			[1, old + 3 * HOUR, "started"],
			[1, now - HOUR, "started"],
		];
		for (const [index, slot, outcome] of rows) {
			await env.DB.prepare(
				`INSERT INTO schedule_slots (workflow_key, version, schedule_index, slot_at, outcome, decided_at)
				 VALUES ('retired', 1, ?, ?, ?, ?)`,
			)
				.bind(index, slot, outcome, slot)
				.run();
		}
		await tick(now);
		expect((await slotRows("retired")).map((r) => [r.schedule_index, r.slot_at])).toEqual([
			[0, old + 2 * HOUR],
			[1, now - HOUR],
		]);
	});
});
