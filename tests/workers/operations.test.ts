// Operations on running processes through the API (O1 suspend and resume, O2 migration, O3 values
// corrected), what they leave in the D1 index, and the audit log entry each one writes.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { processIdFor, processStub } from "../../src/durable/process-client.ts";
import type { WorkflowDefinition } from "../../src/engine/index.ts";
import { consumeTasks } from "../../src/queue/consumer.ts";
import { signedIn, textOf } from "./admin-fixtures.ts";
import { type ApiUser, apiUser, json } from "./api-fixtures.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	view,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

const ASK = {
	questions: { note: { label: "Note", required: true } },
};

/** v1: ask, then a job, then the end. */
const v1: WorkflowDefinition = workflow(
	"ops-flow",
	[
		{ key: "ask", task: "ask", start: true, params: ASK },
		{ key: "work", task: "dummy" },
		{ key: "end", task: "dummy", end: true },
	],
	[
		{ from: "ask", to: "work" },
		{ from: "work", to: "end" },
	],
);

/** v2: the same ask, a review after it, and the job renamed. */
const v2: WorkflowDefinition = workflow(
	"ops-flow",
	[
		{ key: "ask", task: "ask", start: true, params: ASK },
		{ key: "review", task: "ask", params: ASK },
		{ key: "job", task: "dummy" },
		{ key: "end", task: "dummy", end: true },
	],
	[
		{ from: "ask", to: "review" },
		{ from: "review", to: "job" },
		{ from: "job", to: "end" },
	],
);

let admin: ApiUser;

beforeAll(async () => {
	admin = await apiUser({ isAdmin: true });
	await publish(workflow("ops-job", [{ key: "a", task: "dummy", start: true, end: true }], []));
	await publish(v1);
});

async function auditOf(target: string): Promise<{ action: string; actor: string }[]> {
	const { body } = await json<{ items: { action: string; actor: string }[] }>(
		admin,
		`/api/v1/audit?target=${encodeURIComponent(target)}`,
	);
	return body.items;
}

async function indexedSuspension(processId: string): Promise<number | null> {
	const p = await processStub(env, processId);
	while ((await p.outboxSize()) > 0) await new Promise((r) => setTimeout(r, 10));
	const row = await env.DB.prepare("SELECT suspended_at FROM processes WHERE id = ?")
		.bind(processId)
		.first<{ suspended_at: number | null }>();
	return row?.suspended_at ?? null;
}

describe("O1 suspend and resume", () => {
	it("O1 a suspended process turns a job's claim away (acknowledged), and the job runs on resume", async () => {
		// The first dispatch is lost, so the job waits unclaimed until the test delivers its claim.
		const processId = await processIdFor("o1-claim");
		await processStub(env, processId).armFault("lose-queue-message", 1);
		await start("ops-job", {}, "o1-claim");
		const task = (await view(processId)).state.tasks[0]!;
		expect(task.status).toBe("PENDING");

		const suspended = await json<{ suspended: { by: string; reason: string } | null }>(
			admin,
			`/api/v1/processes/${processId}/suspend`,
			{ body: { reason: "checking the books" } },
		);
		expect(suspended.status).toBe(200);
		expect(suspended.body.suspended).toMatchObject({ by: admin.id, reason: "checking the books" });
		expect(await indexedSuspension(processId)).not.toBeNull();

		const batch = createMessageBatch("baton-tasks", [
			{
				id: "o1-claim-1",
				timestamp: Date.now(),
				attempts: 1,
				body: { type: "run", processId, taskId: task.id, attempt: task.attempt },
			},
		]);
		await consumeTasks(batch, env);
		const result = await getQueueResult(batch, createExecutionContext());
		expect(result.retryMessages).toEqual([]);
		expect(result.explicitAcks).toEqual(["o1-claim-1"]);
		expect((await view(processId)).state.tasks[0]?.status).toBe("PENDING");

		const again = await json(admin, `/api/v1/processes/${processId}/suspend`, { body: {} });
		expect(again.status).toBe(409);

		const resumed = await json<{ suspended: unknown }>(
			admin,
			`/api/v1/processes/${processId}/resume`,
			{ method: "POST" },
		);
		expect(resumed.status).toBe(200);
		expect(resumed.body.suspended).toBeNull();
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(await indexedSuspension(processId)).toBeNull();
		await expectIndexMatches(processId);
		expect((await auditOf(processId)).map((e) => e.action)).toEqual([
			"process.resumed",
			"process.suspended",
		]);
	});

	it("O1 a person submitting to a suspended process gets 409 naming who suspended it and why", async () => {
		await publish(v1);
		const { processId } = await start("ops-flow");
		const ask = (await waitFor(processId, (v) => v.state.tasks[0]?.awaitingInput === true)).state
			.tasks[0]!;
		await json(admin, `/api/v1/processes/${processId}/suspend`, {
			body: { reason: "fraud check" },
		});
		const refused = await json<{ code: string; message: string }>(
			admin,
			`/api/v1/tasks/${encodeURIComponent(ask.id)}/values`,
			{ body: { values: { note: "x" } } },
		);
		expect(refused.status).toBe(409);
		expect(refused.body.code).toBe("suspended");
		expect(refused.body.message).toMatch(new RegExp(`suspended by ${admin.id} \\(fraud check\\)`));

		const listed = await json<{ items: { id: string; suspendedAt: number | null }[] }>(
			admin,
			"/api/v1/processes?workflow=ops-flow",
		);
		expect(listed.body.items.find((p) => p.id === processId)?.suspendedAt).toBeTypeOf("number");

		await json(admin, `/api/v1/processes/${processId}/resume`, { method: "POST" });
		const submitted = await json(admin, `/api/v1/tasks/${encodeURIComponent(ask.id)}/values`, {
			body: { values: { note: "x" } },
		});
		expect(submitted.status).toBe(200);
	});

	it("O1 an admin suspends from the process page: a banner says by whom, since when and why; the list shows a badge and filters on it", async () => {
		const { processId } = await start("ops-flow");
		const browser = await signedIn({ name: "Ada Ops" });
		const href = `/processes/${processId}`;
		const before = await (await browser.get(href)).text();
		expect(before).toContain("Suspend process");
		expect((await browser.post(`${href}/suspend`, { reason: "waiting for legal" })).status).toBe(
			303,
		);
		const page = textOf(await (await browser.get(href)).text());
		expect(page).toMatch(/Suspended by Ada Ops since .+: waiting for legal/);
		expect(page).toContain("Resume process");
		await indexedSuspension(processId);
		const list = await (await browser.get("/processes?workflow=ops-flow&suspended=yes")).text();
		expect(list).toContain(href);
		expect(textOf(list)).toContain("Suspended");
		const others = await (await browser.get("/processes?workflow=ops-flow&suspended=no")).text();
		expect(others).not.toContain(`href="${href}"`);
		expect((await browser.post(`${href}/resume`)).status).toBe(303);
		const after = textOf(await (await browser.get(href)).text());
		expect(after).not.toContain("Resume process");
		expect(after).toContain("Process suspended");
		expect(after).toContain("Process resumed");

		const worker = await signedIn({ isAdmin: false, name: "Not Admin" });
		expect(await (await worker.get(href)).text()).not.toContain("Suspend process");
	});

	it("O1 a person submitting on the task page of a suspended process reads why (409)", async () => {
		const { processId } = await start("ops-flow");
		const ask = (await waitFor(processId, (v) => v.state.tasks[0]?.awaitingInput === true)).state
			.tasks[0]!;
		const browser = await signedIn({ name: "Sus Admin" });
		await browser.post(`/processes/${processId}/suspend`, { reason: "month end" });
		const res = await browser.post(`/tasks/${encodeURIComponent(ask.id)}/input`, { note: "x" });
		expect(res.status).toBe(409);
		expect(textOf(await res.text())).toMatch(/is suspended by .+ \(month end\)/);
	});

	it("O1 only admins suspend: another user is refused", async () => {
		const { processId } = await start("ops-flow");
		const starter = await apiUser({ scopes: ["read", "processes:write", "admin"] });
		const refused = await json(starter, `/api/v1/processes/${processId}/suspend`, { body: {} });
		expect([403, 404]).toContain(refused.status);
	});
});

describe("O2 migration", () => {
	it("O2 the dry run is the applied result; who cannot move stays, with the reason", async () => {
		const published = await publish(v1);
		const waiting = await start("ops-flow");
		await waitFor(waiting.processId, (v) => v.state.tasks[0]?.awaitingInput === true);
		const ended = await start("ops-flow");
		await json(admin, `/api/v1/processes/${ended.processId}/stop`, { method: "POST" });
		const target = await publish(v2);
		expect(target.version).toBe(published.version + 1);

		const ids = [waiting.processId, ended.processId];
		const path = "/api/v1/migrations/ops-flow";
		const request = { toVersion: target.version, mapping: { work: "job" }, processIds: ids };
		const dry = await json<{ results: { processId: string; migrated: boolean; plan: unknown }[] }>(
			admin,
			path,
			{ body: { ...request, dryRun: true } },
		);
		expect(dry.status).toBe(200);
		expect(dry.body.results.map((r) => r.migrated)).toEqual([false, false]);
		expect((await view(waiting.processId)).state.workflow.version).toBe(published.version);

		const applied = await json<typeof dry.body>(admin, path, {
			body: { ...request, dryRun: false },
		});
		expect(applied.body.results.map((r) => r.plan)).toEqual(dry.body.results.map((r) => r.plan));
		expect(applied.body.results.map((r) => r.migrated)).toEqual([true, false]);
		expect(dry.body.results[1]?.plan).toMatchObject({
			blockers: [expect.stringMatching(/only a running process migrates/)],
		});

		const moved = await view(waiting.processId);
		expect(moved.state.workflow.version).toBe(target.version);
		expect(moved.definition.version).toBe(target.version);
		const history = await processStub(env, waiting.processId).history();
		expect(history.at(-1)).toMatchObject({ type: "ProcessMigrated", actor: admin.id });
		await expectIndexMatches(waiting.processId);
		const row = await env.DB.prepare("SELECT workflow_version FROM processes WHERE id = ?")
			.bind(waiting.processId)
			.first<{ workflow_version: number }>();
		expect(row?.workflow_version).toBe(target.version);

		// The migrated process follows its new version: after the ask comes the review.
		const ask = moved.state.tasks[0]!;
		await json(admin, `/api/v1/tasks/${encodeURIComponent(ask.id)}/values`, {
			body: { values: { note: "ok" } },
		});
		const next = await waitFor(waiting.processId, (v) => v.state.tasks.length > 1);
		expect(next.state.tasks.map((t) => t.node)).toEqual(["ask", "review"]);

		expect((await auditOf(waiting.processId)).map((e) => e.action)).toEqual(["process.migrated"]);
		expect(await auditOf(ended.processId)).toEqual([]);
	});
});

describe("O3 on the process page", () => {
	it("O3 the page shows a task's submitted values; an admin corrects a param there and the history shows old → new", async () => {
		await publish({
			...v1,
			key: "ops-values",
			startForm: { amount: { label: "Amount", type: "number" } },
		});
		const { processId } = await start("ops-values", { amount: 1 });
		const ask = (await waitFor(processId, (v) => v.state.tasks[0]?.awaitingInput === true)).state
			.tasks[0]!;
		await json(admin, `/api/v1/tasks/${encodeURIComponent(ask.id)}/values`, {
			body: { values: { note: "first note" } },
		});
		await waitFor(processId, (v) => v.state.tasks.length > 1);
		const browser = await signedIn({ name: "Val Admin" });
		const href = `/processes/${processId}`;
		const page = textOf(await (await browser.get(href)).text());
		expect(page).toContain("Values note first note");
		expect(page).toContain("Correct a value");
		const res = await browser.post(`${href}/values`, { taskId: "", name: "amount", value: "5" });
		expect(res.status).toBe(303);
		expect((await view(processId)).state.params).toMatchObject({ amount: 5 });
		expect(textOf(await (await browser.get(href)).text())).toContain("amount 1 → 5");
	});
});

describe("O2 the migration page", () => {
	it("O2 the page's dry run lists each process with what moves and why one cannot; applying moves the ones that can", async () => {
		const first = await publish({ ...v1, key: "ops-page" });
		const { processId } = await start("ops-page");
		await waitFor(processId, (v) => v.state.tasks[0]?.awaitingInput === true);
		const second = await publish({ ...v2, key: "ops-page" });
		const browser = await signedIn({ name: "Mig Admin" });
		const base = "/admin/workflows/ops-page/migrate";
		const form = await (
			await browser.get(`${base}?from=${first.version}&to=${second.version}`)
		).text();
		expect(form).toContain('name="map.work"');
		const fields = {
			from: String(first.version),
			to: String(second.version),
			"map.ask": "ask",
			"map.work": "job",
			"map.end": "end",
		};
		const dry = textOf(await (await browser.post(base, { ...fields, act: "dry-run" })).text());
		expect(dry).toMatch(new RegExp(`Dry run: 1 process of version ${first.version}`));
		expect(dry).toContain(`${processId} Can migrate`);
		expect((await view(processId)).state.workflow.version).toBe(first.version);
		const applied = textOf(await (await browser.post(base, { ...fields, act: "apply" })).text());
		expect(applied).toContain(`${processId} Migrated`);
		expect((await view(processId)).state.workflow.version).toBe(second.version);
		await expectIndexMatches(processId);
	});
});

describe("O3 values corrected", () => {
	it("O3 an admin corrects the params; the history records old and new, the audit log who", async () => {
		await publish(v1);
		await publish({
			...v1,
			key: "ops-params",
			startForm: { amount: { label: "Amount", type: "number" } },
		});
		const { processId } = await start("ops-params", { amount: 1 });
		const corrected = await json<{ revision: number }>(
			admin,
			`/api/v1/processes/${processId}/values`,
			{ body: { values: { amount: 2 } } },
		);
		expect(corrected.status).toBe(200);
		expect((await view(processId)).state.params).toMatchObject({ amount: 2 });
		const history = await processStub(env, processId).history();
		expect(history.find((e) => e.type === "ValuesCorrected")).toMatchObject({
			actor: admin.id,
			data: { changes: [expect.objectContaining({ name: "amount" })] },
		});
		const entries = await auditOf(processId);
		expect(entries).toMatchObject([{ action: "process.values_corrected", actor: admin.id }]);
	});
});
