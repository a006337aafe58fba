// Bulk actions on the processes a filter selects (docs/operations.md "Bulk actions"): the preview,
// the operation run a chunk at a time through the operations queue with its progress in D1, a chunk
// delivered twice, bad requests, and a migration of 1,000 processes while people keep working on
// them and new ones start, which must lose nothing.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createBulkOperation, findBulkOperation } from "../../src/db/bulk-operations.ts";
import { processStub } from "../../src/durable/process-client.ts";
import type { WorkflowDefinition } from "../../src/engine/index.ts";
import { BULK_STALL_MS, restartStalledBulk, runBulkChunk } from "../../src/processes/bulk.ts";
import { HTMX, signedIn, textOf } from "./admin-fixtures.ts";
import { type ApiUser, apiUser, json } from "./api-fixtures.ts";
import { expectIndexMatches, publish, start, view, waitFor, workflow } from "./process-fixtures.ts";

const ASK = { questions: { note: { label: "Note", required: true } } };

/** v1: ask, then a job, then the end. */
const v1: WorkflowDefinition = workflow(
	"bulk-flow",
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

/** v2: the same ask, a review after it, and the job renamed (the mapping sends work → job). */
const v2: WorkflowDefinition = workflow(
	"bulk-flow",
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

interface Operation {
	id: string;
	status: string;
	total: number;
	succeeded: number;
	skipped: number;
	failed: number;
	problems: { processId: string; outcome: string; message: string | null }[];
}

async function until(op: string, timeoutMs: number): Promise<Operation> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { body } = await json<Operation>(admin, `/api/v1/bulk-operations/${op}`);
		if (body.status !== "running") return body;
		if (Date.now() > deadline) throw new Error(`operation still running: ${JSON.stringify(body)}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

/** Starts `n` processes of the workflow, eight at a time, each waiting at its ask. */
async function startMany(key: string, n: number, name: string): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < n; i += 8) {
		const batch = await Promise.all(
			Array.from({ length: Math.min(8, n - i) }, (_, j) =>
				start(key, {}, `${name}-${i + j}`).then((s) => s.processId),
			),
		);
		ids.push(...batch);
	}
	return ids;
}

async function historyCount(processId: string, type: string): Promise<number> {
	return (await processStub(env, processId).history()).filter((e) => e.type === type).length;
}

beforeAll(async () => {
	admin = await apiUser({ isAdmin: true });
	await publish(v1);
	await publish(
		workflow("bulk-small", [{ key: "ask", task: "ask", start: true, params: ASK, end: true }], []),
	);
});

describe("bulk actions", () => {
	it("a preview counts what the action would act on; suspend then resume by filter, with progress, history and audit", async () => {
		const ids = await startMany("bulk-small", 30, "small");
		for (const id of ids) await waitFor(id, (v) => v.state.tasks[0]?.awaitingInput === true);
		const filter = { workflow: "bulk-small" };
		const preview = await json(admin, "/api/v1/bulk-operations", {
			body: { action: "suspend", filter, preview: true },
		});
		expect(preview.status).toBe(200);
		expect(preview.body).toMatchObject({
			action: "suspend",
			count: 30,
			matching: 30,
			tooMany: false,
		});

		const started = await json<Operation>(admin, "/api/v1/bulk-operations", {
			body: { action: "suspend", filter, reason: "Supplier audit" },
		});
		expect(started.status).toBe(202);
		expect(started.body.total).toBe(30);
		const done = await until(started.body.id, 30_000);
		expect(done).toMatchObject({ status: "done", total: 30, succeeded: 30, skipped: 0, failed: 0 });
		for (const id of ids) {
			const v = await view(id);
			expect(v.state.suspended?.reason).toBe("Supplier audit");
			expect(await historyCount(id, "ProcessSuspended")).toBe(1);
		}
		// Nothing left to suspend: the preview says so, and resume selects all 30.
		const again = await json(admin, "/api/v1/bulk-operations", {
			body: { action: "suspend", filter, preview: true },
		});
		expect(again.body).toMatchObject({ count: 0, matching: 30 });
		const resumed = await json<Operation>(admin, "/api/v1/bulk-operations", {
			body: { action: "resume", filter },
		});
		expect(await until(resumed.body.id, 30_000)).toMatchObject({ status: "done", succeeded: 30 });
		for (const id of ids) expect((await view(id)).state.suspended).toBeUndefined();
		const audit = await json<{ items: { action: string; target: string }[] }>(
			admin,
			`/api/v1/audit?action=bulk`,
		);
		expect(audit.body.items.map((e) => e.target)).toEqual(
			expect.arrayContaining([started.body.id, resumed.body.id]),
		);
	});

	it("a chunk delivered twice acts once on each process and continues the chain once", async () => {
		const ids = await startMany("bulk-small", 6, "twice");
		for (const id of ids) await waitFor(id, (v) => v.state.tasks[0]?.awaitingInput === true);
		const user = await apiUser({ isAdmin: true });
		const operationId = crypto.randomUUID();
		await createBulkOperation(env.DB, {
			id: operationId,
			action: "stop",
			filter: {},
			options: {},
			createdBy: user.id,
			createdAt: Date.now(),
			processIds: ids,
		});
		const message = { kind: "bulk" as const, operationId, chunk: 0 };
		await Promise.all([runBulkChunk(env, message, Date.now), runBulkChunk(env, message, Date.now)]);
		await runBulkChunk(env, message, Date.now);
		const op = await findBulkOperation(env.DB, operationId);
		expect(op).toMatchObject({ status: "done", total: 6, succeeded: 6, chunks: 1 });
		for (const id of ids) {
			expect((await view(id)).state.status).toBe("REVOKED");
			expect(await historyCount(id, "ProcessRevoked")).toBe(1);
		}
	});

	it("an operation whose chunk message was lost is resent by the Cron Trigger's watchdog and finishes", async () => {
		const ids = await startMany("bulk-small", 3, "stalled");
		for (const id of ids) await waitFor(id, (v) => v.state.tasks[0]?.awaitingInput === true);
		const user = await apiUser({ isAdmin: true });
		const operationId = crypto.randomUUID();
		const long = Date.now() - BULK_STALL_MS - 1_000;
		// Created with no message sent, as if it had been lost, and untouched for longer than the limit.
		await createBulkOperation(env.DB, {
			id: operationId,
			action: "suspend",
			filter: {},
			options: {},
			createdBy: user.id,
			createdAt: long,
			processIds: ids,
		});
		expect(await restartStalledBulk(env, Date.now())).toBeGreaterThanOrEqual(1);
		expect(await until(operationId, 30_000)).toMatchObject({ status: "done", succeeded: 3 });
		// A running operation that moved recently is left alone.
		expect(await restartStalledBulk(env, Date.now())).toBe(0);
	});

	it("bad requests are refused with a clear error and start nothing", async () => {
		const person = await apiUser();
		const refused = await json(person, "/api/v1/bulk-operations", {
			body: { action: "stop", filter: {} },
		});
		expect(refused.status).toBe(403);
		const noWorkflow = await json<{ code: string; message: string }>(
			admin,
			"/api/v1/bulk-operations",
			{
				body: { action: "migrate", toVersion: 2 },
			},
		);
		expect(noWorkflow.status).toBe(422);
		expect(noWorkflow.body.code).toBe("invalid_params");
		const unknown = await json(admin, "/api/v1/bulk-operations", {
			body: { action: "delete", filter: {} },
		});
		expect(unknown.status).toBe(422);
		const noVersion = await json<{ code: string; message: string }>(
			admin,
			"/api/v1/bulk-operations",
			{
				body: { action: "migrate", filter: { workflow: "bulk-small" }, toVersion: 9 },
			},
		);
		expect(noVersion.status).toBe(404);
		expect(noVersion.body.message).toContain("no published version 9");
		const notADay = await json(admin, "/api/v1/bulk-operations", {
			body: { action: "stop", filter: { from: "2027-13-45" } },
		});
		expect(notADay.status).toBe(422);
		const missing = await json(admin, "/api/v1/bulk-operations/nope");
		expect(missing.status).toBe(404);
		const { results } = await env.DB.prepare(
			"SELECT count(*) AS n FROM bulk_operations WHERE created_by = ?",
		)
			.bind(person.id)
			.all<{ n: number }>();
		expect(results[0]?.n).toBe(0);
	});

	it("on the processes list an admin previews, starts and follows a bulk action; others see no form and are refused", async () => {
		await publish(
			workflow("bulk-page", [{ key: "ask", task: "ask", start: true, params: ASK, end: true }], []),
		);
		const ids = await startMany("bulk-page", 3, "page");
		for (const id of ids) await waitFor(id, (v) => v.state.tasks[0]?.awaitingInput === true);
		const browser = await signedIn();
		const list = await browser.get("/processes?workflow=bulk-page");
		expect(textOf(await list.text())).toContain("Act on every process these filters select");
		// The fragment the filters swap in carries the form too, with the filters it shows.
		const fragment = await (await browser.get("/processes?workflow=bulk-page", HTMX)).text();
		expect(fragment).toContain('name="workflow" value="bulk-page"');

		const preview = await browser.post("/bulk-actions", {
			step: "preview",
			workflow: "bulk-page",
			action: "stop",
		});
		expect(preview.status).toBe(200);
		const previewText = textOf(await preview.text());
		expect(previewText).toContain("Stop 3 processes?");
		expect(previewText).toContain("The filters select 3 processes.");

		const started = await browser.post("/bulk-actions", {
			step: "start",
			workflow: "bulk-page",
			action: "stop",
		});
		expect(started.status).toBe(303);
		const href = started.headers.get("Location") as string;
		expect(href).toMatch(/^\/bulk-actions\/[0-9a-f-]{36}$/);
		const operationId = href.split("/").at(-1) as string;
		await until(operationId, 30_000);
		const page = textOf(await (await browser.get(href)).text());
		expect(page).toContain("Stop 3 processes");
		expect(page).toContain("Finished");
		for (const id of ids) expect((await view(id)).state.status).toBe("REVOKED");
		expect(textOf(await (await browser.get("/bulk-actions")).text())).toContain("Stop 3 processes");

		const person = await signedIn({ isAdmin: false });
		const personList = textOf(await (await person.get("/processes")).text());
		expect(personList).not.toContain("Act on every process");
		// Someone who may start no workflow is not offered to start a process; an admin is.
		expect(personList).not.toContain("Start a process");
		expect(textOf(await (await browser.get("/processes")).text())).toContain("Start a process");
		const refused = await person.post("/bulk-actions", { step: "start", action: "stop" });
		expect(refused.status).toBe(403);
		const badFilter = await browser.post("/bulk-actions", {
			step: "preview",
			action: "stop",
			from: "yesterday",
		});
		expect(badFilter.status).toBe(422);
		expect(textOf(await badFilter.text())).toContain("Enter a date like 2027-03-14.");
	});

	it("a bulk migration of 1,000 processes while people submit and new processes start loses nothing", async () => {
		const ids = await startMany("bulk-flow", 1_000, "big");
		const asks = new Map<string, string>();
		for (const id of ids) {
			const v = await waitFor(id, (x) => x.state.tasks[0]?.awaitingInput === true);
			asks.set(id, v.state.tasks[0]?.id as string);
		}
		await publish(v2);

		const preview = await json<{ count: number; dryRun: { migrated: boolean }[] }>(
			admin,
			"/api/v1/bulk-operations",
			{
				body: {
					action: "migrate",
					filter: { workflow: "bulk-flow" },
					toVersion: 2,
					mapping: { work: "job" },
					preview: true,
				},
			},
		);
		expect(preview.body.count).toBe(1_000);
		expect(preview.body.dryRun.length).toBe(20);
		expect(preview.body.dryRun.every((d) => d.migrated)).toBe(true);

		const started = await json<Operation>(admin, "/api/v1/bulk-operations", {
			body: {
				action: "migrate",
				filter: { workflow: "bulk-flow" },
				toVersion: 2,
				mapping: { work: "job" },
			},
		});
		expect(started.status).toBe(202);
		expect(started.body.total).toBe(1_000);

		// The load: people answer every fifth process's ask while the migration runs (before or after
		// its turn), and new processes of the workflow start (after the selection: not in it).
		const answered = ids.filter((_, i) => i % 5 === 0);
		const load = Promise.all([
			(async () => {
				for (const id of answered) {
					const res = await json(
						admin,
						`/api/v1/tasks/${encodeURIComponent(asks.get(id) as string)}/values`,
						{
							body: { values: { note: "done" } },
						},
					);
					expect(res.status).toBe(200);
				}
			})(),
			startMany("bulk-flow", 50, "late"),
		]);
		const [, late] = await load;
		const done = await until(started.body.id, 240_000);

		// Every selected process has one outcome; none failed.
		expect(done.status).toBe("done");
		expect(done.succeeded + done.skipped).toBe(1_000);
		expect(done.failed).toBe(0);
		const { results: items } = await env.DB.prepare(
			"SELECT process_id, outcome, message FROM bulk_operation_items WHERE operation_id = ?",
		)
			.bind(started.body.id)
			.all<{ process_id: string; outcome: string | null; message: string | null }>();
		expect(items).toHaveLength(1_000);
		expect(new Set(items.map((i) => i.process_id))).toEqual(new Set(ids));
		expect(items.every((i) => i.outcome === "succeeded" || i.outcome === "skipped")).toBe(true);
		// Skipped only because it had finished in v1 before its turn came: the plan says so.
		for (const item of items.filter((i) => i.outcome === "skipped")) {
			expect(answered).toContain(item.process_id);
			expect(item.message).toContain("only a running process migrates");
		}

		// Nothing lost: each process finished once or waits at exactly one task, on v2 if it moved.
		const migrated = new Set(
			items.filter((i) => i.outcome === "succeeded").map((i) => i.process_id),
		);
		for (const id of ids) {
			const v = answered.includes(id)
				? await waitFor(
						id,
						(x) =>
							x.state.status === "SUCCESS" ||
							x.state.tasks.some((t) => t.node === "review" && t.awaitingInput === true),
						30_000,
					)
				: await view(id);
			const active = v.state.tasks.filter((t) =>
				["PENDING", "STARTED", "RETRY"].includes(t.status),
			);
			expect(v.state.workflow.version).toBe(migrated.has(id) ? 2 : 1);
			expect(await historyCount(id, "ProcessMigrated")).toBe(migrated.has(id) ? 1 : 0);
			if (v.state.status === "SUCCESS") {
				expect(
					v.state.tasks.filter((t) => t.node === "end" && t.status === "SUCCESS"),
				).toHaveLength(1);
				expect(active).toHaveLength(0);
			} else {
				expect(v.state.status).toBe("STARTED");
				expect(active).toHaveLength(1);
				// Every task was created once: no node twice among the tasks.
				const nodes = v.state.tasks.map((t) => t.node);
				expect(new Set(nodes).size).toBe(nodes.length);
			}
		}
		for (const id of ids.filter((_, i) => i % 97 === 0)) await expectIndexMatches(id);
		// The processes started after the selection were not touched.
		for (const id of late) {
			expect((await view(id)).state.workflow.version).toBe(2);
			expect(await historyCount(id, "ProcessMigrated")).toBe(0);
		}
		const audit = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_entries WHERE action = 'process.migrated' AND json_extract(details, '$.workflowKey') = 'bulk-flow'",
		).first<{ n: number }>();
		expect(audit?.n).toBe(done.succeeded);
	}, 600_000);
});
