// How the work flows (issue #16): counts, p50 and p95 per node, and the processes running longest,
// computed from a small known index; and the admin page that draws them as a heatmap and a table.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
	flowCounts,
	nodeFlows,
	type ProcessRow,
	slowestRunning,
	type TaskRow,
	writeIndex,
} from "../../src/db/process-index.ts";
import { signedIn, textOf } from "./admin-fixtures.ts";
import { publish, workflow } from "./process-fixtures.ts";

const KEY = "flowy";
const NOW = Date.now();
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK_AGO = NOW - 7 * DAY;

let serial = 0;

function processRow(status: string, at: { started: number; ended?: number }): ProcessRow {
	serial++;
	return {
		id: `p-flow${serial}`,
		name: `Claim ${serial}`,
		workflowKey: KEY,
		workflowVersion: 1,
		status,
		priority: 2,
		progress: 0,
		stuck: false,
		openIncidents: 0,
		activeTasks: status === "STARTED" ? 1 : 0,
		startedBy: null,
		parentProcessId: null,
		parentTaskId: null,
		createdAt: at.started,
		startedAt: at.started,
		endedAt: at.ended ?? null,
		revision: 1,
	};
}

function taskRow(
	processId: string,
	node: string,
	at: { created: number; started: number | null; ended: number },
): TaskRow {
	serial++;
	return {
		id: `${processId}/t${serial}`,
		processId,
		workflowKey: KEY,
		node,
		nodeName: node,
		taskType: node === "review" ? "ask" : "dummy",
		status: "SUCCESS",
		role: node === "review" ? "clerks" : null,
		assignee: null,
		priority: 2,
		progress: 100,
		attempt: 1,
		awaitingInput: false,
		incident: null,
		correlationKey: null,
		dueAt: null,
		followUpAt: null,
		createdAt: at.created,
		startedAt: at.started,
		endedAt: at.ended,
		revision: 1,
	};
}

beforeAll(async () => {
	await publish(
		workflow(
			KEY,
			[
				{
					key: "review",
					name: "Review the claim",
					task: "ask",
					role: "clerks",
					start: true,
					params: { questions: { ok: { label: "OK?", type: "checkbox" } } },
				},
				{ key: "pay", name: "Pay out", task: "dummy" },
				{ key: "done", task: "dummy", end: true },
			],
			[
				{ from: "review", to: "pay" },
				{ from: "pay", to: "done" },
			],
			{ roles: [{ key: "clerks", name: "Clerks" }] },
		),
	);
	// Two running (the longer one first), four ended in the week (one failed, one stopped), one older.
	const running = [
		processRow("STARTED", { started: NOW - 3 * HOUR }),
		processRow("STARTED", { started: NOW - HOUR }),
	];
	const ended = [
		processRow("SUCCESS", { started: NOW - 2 * DAY, ended: NOW - DAY }),
		processRow("SUCCESS", { started: NOW - 2 * DAY, ended: NOW - DAY }),
		processRow("REVOKED", { started: NOW - 2 * DAY, ended: NOW - DAY }),
		processRow("FAILURE", { started: NOW - 2 * DAY, ended: NOW - DAY }),
	];
	const old = processRow("SUCCESS", { started: NOW - 11 * DAY, ended: NOW - 10 * DAY });
	const host = ended[0] as ProcessRow;
	// Review waited 1 to 10 minutes for a person; pay ran 1 to 20 seconds: all ended this week.
	const reviews = Array.from({ length: 10 }, (_, i) => {
		const created = NOW - DAY - HOUR;
		return taskRow(host.id, "review", {
			created,
			started: null,
			ended: created + (i + 1) * MIN,
		});
	});
	const pays = Array.from({ length: 20 }, (_, i) => {
		const started = NOW - DAY;
		return taskRow(host.id, "pay", { created: started, started, ended: started + (i + 1) * S });
	});
	const oldPay = taskRow(old.id, "pay", {
		created: NOW - 10 * DAY,
		started: NOW - 10 * DAY,
		ended: NOW - 10 * DAY + 1000 * S,
	});
	for (const p of [...running, ...ended.slice(1)])
		await writeIndex(env.DB, { process: p, tasks: [] });
	await writeIndex(env.DB, { process: host, tasks: [...reviews, ...pays] });
	await writeIndex(env.DB, { process: old, tasks: [oldPay] });
});

describe("how the work flows, from the index", () => {
	it("counts running now, and finished and failed in the period", async () => {
		expect(await flowCounts(env.DB, KEY, WEEK_AGO)).toEqual({ running: 2, finished: 3, failed: 1 });
		expect(await flowCounts(env.DB, KEY, NOW - 30 * DAY)).toEqual({
			running: 2,
			finished: 4,
			failed: 1,
		});
	});

	it("gives p50 and p95 by nearest rank, waiting for the human step and running for the other", async () => {
		expect(await nodeFlows(env.DB, KEY, WEEK_AGO)).toEqual([
			{ node: "pay", running: { n: 20, p50: 10 * S, p95: 19 * S } },
			{ node: "review", waiting: { n: 10, p50: 5 * MIN, p95: 10 * MIN } },
		]);
		// Thirty days take in the old, slow payment: the 21st of 21 spans.
		expect(await nodeFlows(env.DB, KEY, NOW - 30 * DAY)).toEqual([
			{ node: "pay", running: { n: 21, p50: 11 * S, p95: 20 * S } },
			{ node: "review", waiting: { n: 10, p50: 5 * MIN, p95: 10 * MIN } },
		]);
	});

	it("lists the running processes, the longest running first", async () => {
		const { rows, total } = await slowestRunning(env.DB, KEY);
		expect(total).toBe(2);
		expect(rows.map((r) => r.since)).toEqual([NOW - 3 * HOUR, NOW - HOUR]);
	});
});

describe("the flow page", () => {
	it("draws the heatmap on the diagram, with a legend and the figures as a table", async () => {
		const admin = await signedIn();
		const res = await admin.get(`/admin/workflows/${KEY}/flow?period=7d&measure=waiting`);
		expect(res.status).toBe(200);
		const html = await res.text();
		// Filled by waiting: review is the slowest (and only) step measured, pay has no figures.
		expect(html).toMatch(/class="node st-idle has-heat heat-4"[^>]*data-node="review"/);
		expect(html).toMatch(/data-node="pay"[\s\S]*?No figures in the period/);
		expect(html).toContain("p95 10 min");
		expect(html).toContain("Fill: Waiting for a person, 95th percentile");
		const text = textOf(html);
		expect(text).toContain("Review the claim 5 min 10 min — — 10");
		expect(text).toContain("Pay out — — 10 s 19 s 20");
		expect(text).toContain("Running now 2");
		expect(text).toContain("Failed in the last 7 days 1");

		const running = await (await admin.get(`/admin/workflows/${KEY}/flow`)).text();
		expect(running).toMatch(/class="node st-idle has-heat heat-4"[^>]*data-node="pay"/);
		expect(running).toContain("p95 19 s");
	});

	it("answers 404 to anyone but an admin, and for a workflow that does not exist", async () => {
		const worker = await signedIn({ isAdmin: false });
		expect((await worker.get(`/admin/workflows/${KEY}/flow`)).status).toBe(404);
		const admin = await signedIn();
		expect((await admin.get("/admin/workflows/nope/flow")).status).toBe(404);
	});
});
