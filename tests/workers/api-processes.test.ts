// /api/v1/processes: starting (once per Idempotency-Key), listing with filters and cursor pages,
// reading one with tasks and history, stopping; someone else's process is a 404.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { apiUser, json } from "./api-fixtures.ts";
import { publish, workflow } from "./process-fixtures.ts";

const EXPENSE = "expense";
const OTHER = "travel";

const expense = (key: string) =>
	workflow(
		key,
		[
			{
				key: "claim",
				task: "ask",
				role: "clerks",
				start: true,
				params: { questions: { amount: { label: "Amount", type: "number", required: true } } },
			},
			{ key: "done", task: "dummy", end: true },
		],
		[{ from: "claim", to: "done" }],
		{
			roles: [{ key: "clerks", name: "Clerks" }],
			startForm: { region: { label: "Region" }, n: { label: "N", type: "integer" } },
		},
	);

beforeAll(async () => {
	await publish(expense(EXPENSE));
	await publish(expense(OTHER));
});

const starter = () => apiUser({ grants: [{ permission: "workflow.start", scope: EXPENSE }] });

interface Started {
	processId: string;
	version: number;
	url: string;
}

describe("starting a process", () => {
	it("starts a process of a workflow the user may start, with its params", async () => {
		const me = await starter();
		const res = await json<Started>(me, "/api/v1/processes", {
			body: { workflowKey: EXPENSE, params: { region: "EU" }, name: "Trip to Lyon" },
		});
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({
			version: 1,
			url: `http://localhost/processes/${res.body.processId}`,
		});
		expect(res.headers.get("Location")).toBe(`/api/v1/processes/${res.body.processId}`);
		const got = await json(me, `/api/v1/processes/${res.body.processId}`);
		expect(got.status).toBe(200);
		expect(got.body).toMatchObject({
			status: "STARTED",
			name: "Trip to Lyon",
			params: { region: "EU" },
			startedBy: me.id,
		});
	});

	it("starts once for an Idempotency-Key sent ten times at once, each answer the same", async () => {
		const me = await starter();
		const before = (await listDurableObjectIds(env.PROCESS)).length;
		const answers = await Promise.all(
			Array.from({ length: 10 }, () =>
				json<Started>(me, "/api/v1/processes", {
					body: { workflowKey: EXPENSE, params: { n: 1 } },
					headers: { "Idempotency-Key": "order-7f3a" },
				}),
			),
		);
		expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
		expect(new Set(answers.map((a) => a.body.processId)).size).toBe(1);
		expect((await listDurableObjectIds(env.PROCESS)).length).toBe(before + 1);
		const again = await json<Started>(me, "/api/v1/processes", {
			body: { workflowKey: EXPENSE, params: { n: 1 } },
			headers: { "Idempotency-Key": "order-7f3a" },
		});
		expect(again.body.processId).toBe(answers[0]?.body.processId);
	});

	it("refuses an Idempotency-Key reused for another request with 409, and keys are per user", async () => {
		const me = await starter();
		const first = await json<Started>(me, "/api/v1/processes", {
			body: { workflowKey: EXPENSE, params: { n: 1 } },
			headers: { "Idempotency-Key": "k-1" },
		});
		const other = await json(me, "/api/v1/processes", {
			body: { workflowKey: EXPENSE, params: { n: 2 } },
			headers: { "Idempotency-Key": "k-1" },
		});
		expect(other.status).toBe(409);
		expect(other.body).toMatchObject({ code: "conflict" });
		const someoneElse = await starter();
		const theirs = await json<Started>(someoneElse, "/api/v1/processes", {
			body: { workflowKey: EXPENSE, params: { n: 1 } },
			headers: { "Idempotency-Key": "k-1" },
		});
		expect(theirs.status).toBe(201);
		expect(theirs.body.processId).not.toBe(first.body.processId);
	});

	it("refuses a user without the right to start the workflow with 403, starting nothing", async () => {
		const me = await starter();
		const before = (await listDurableObjectIds(env.PROCESS)).length;
		const res = await json(me, "/api/v1/processes", { body: { workflowKey: OTHER } });
		expect(res.status).toBe(403);
		expect(res.body).toMatchObject({ code: "forbidden" });
		expect((await listDurableObjectIds(env.PROCESS)).length).toBe(before);
	});

	it("refuses a token without the processes:write scope with 403, whatever the user may do", async () => {
		const me = await apiUser({ isAdmin: true, scopes: ["read", "tasks:write"] });
		const res = await json(me, "/api/v1/processes", { body: { workflowKey: EXPENSE } });
		expect(res.status).toBe(403);
		expect(res.body).toEqual({
			code: "forbidden",
			message: 'This API token lacks the "processes:write" scope.',
			details: { needed: "processes:write" },
		});
	});

	it("answers 404 for an unpublished workflow and 422 with every issue for a bad body", async () => {
		const admin = await apiUser({ isAdmin: true });
		expect((await json(admin, "/api/v1/processes", { body: { workflowKey: "nope" } })).status).toBe(
			404,
		);
		const bad = await json(admin, "/api/v1/processes", {
			body: { workflowKey: "", priority: 12, status: "SUCCESS" },
		});
		expect(bad.status).toBe(422);
		expect(bad.body).toMatchObject({ code: "invalid_params" });
		const paths = (bad.body.details as { issues: { path: string }[] }).issues.map((i) => i.path);
		expect(paths).toEqual(expect.arrayContaining(["workflowKey", "priority", ""]));
		const notJson = await json(admin, "/api/v1/processes", {
			body: "{nope",
			headers: { "Content-Type": "application/json" },
		});
		expect(notJson).toMatchObject({ status: 400, body: { code: "invalid_request" } });
	});
});

describe("reading processes", () => {
	it("answers 404 for someone else's process, and the same 404 as for one that does not exist", async () => {
		const me = await starter();
		const stranger = await apiUser();
		const { body } = await json<Started>(me, "/api/v1/processes", {
			body: { workflowKey: EXPENSE },
		});
		const theirs = await json(stranger, `/api/v1/processes/${body.processId}`);
		const missing = await json(stranger, `/api/v1/processes/p-${"0".repeat(32)}`);
		expect(theirs).toMatchObject({ status: 404, body: { code: "not_found" } });
		expect(theirs.body).toEqual(missing.body);
		const stop = await json(stranger, `/api/v1/processes/${body.processId}/stop`, {
			method: "POST",
		});
		expect(stop.status).toBe(404);
	});

	it("shows a process to a member of the role of one of its tasks, with tasks and history", async () => {
		const me = await starter();
		const clerk = await apiUser({ roles: ["clerks"] });
		const { body } = await json<Started>(me, "/api/v1/processes", {
			body: { workflowKey: EXPENSE },
		});
		let got = await json<{
			tasks: { node: string; status: string; role: string }[];
			history: { type: string }[];
		}>(clerk, `/api/v1/processes/${body.processId}`);
		for (let i = 0; got.status === 404 && i < 100; i++) {
			await new Promise((r) => setTimeout(r, 10));
			got = await json(clerk, `/api/v1/processes/${body.processId}`);
		}
		expect(got.status).toBe(200);
		expect(got.body.tasks).toEqual([
			expect.objectContaining({ node: "claim", status: "PENDING", role: "clerks" }),
		]);
		expect(got.body.history.map((e) => e.type)).toEqual(
			expect.arrayContaining(["ProcessCreated", "ProcessStarted", "TaskCreated"]),
		);
	});

	it("lists newest first in cursor pages, with status, workflow and startedBy filters", async () => {
		const me = await apiUser({ grants: [{ permission: "workflow.start", scope: "*" }] });
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			const { body } = await json<Started>(me, "/api/v1/processes", {
				body: { workflowKey: i < 3 ? EXPENSE : OTHER },
			});
			ids.push(body.processId);
		}
		await json(me, `/api/v1/processes/${ids[0]}/stop`, { method: "POST" });
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const path: string = `/api/v1/processes?startedBy=me&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
			const page = await json<{ items: { id: string }[]; nextCursor: string | null }>(me, path);
			expect(page.status).toBe(200);
			seen.push(...page.body.items.map((p) => p.id));
			cursor = page.body.nextCursor;
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(seen).toEqual([...ids].reverse());
		const revoked = await json<{ items: { id: string; status: string }[] }>(
			me,
			"/api/v1/processes?startedBy=me&status=REVOKED",
		);
		expect(revoked.body.items.map((p) => p.id)).toEqual([ids[0]]);
		const travel = await json<{ items: { id: string }[] }>(
			me,
			`/api/v1/processes?startedBy=me&workflow=${OTHER}`,
		);
		expect(travel.body.items.map((p) => p.id)).toEqual([ids[4], ids[3]]);
		const stranger = await apiUser();
		const none = await json<{ items: unknown[] }>(stranger, `/api/v1/processes?startedBy=${me.id}`);
		expect(none.body.items).toEqual([]);
	});

	it("refuses a malformed cursor or limit with 400 invalid_request", async () => {
		const me = await apiUser();
		expect((await json(me, "/api/v1/processes?cursor=%%%")).body).toMatchObject({
			code: "invalid_request",
		});
		expect((await json(me, "/api/v1/processes?limit=1000")).status).toBe(400);
		expect((await json(me, "/api/v1/processes?role=admin")).status).toBe(400);
	});
});

describe("stopping a process", () => {
	it("revokes a running process for its starter, and answers 409 not_running the second time", async () => {
		const me = await starter();
		const { body } = await json<Started>(me, "/api/v1/processes", {
			body: { workflowKey: EXPENSE },
		});
		const stopped = await json(me, `/api/v1/processes/${body.processId}/stop`, { method: "POST" });
		expect(stopped).toMatchObject({
			status: 200,
			body: { processId: body.processId, status: "REVOKED" },
		});
		const again = await json(me, `/api/v1/processes/${body.processId}/stop`, { method: "POST" });
		expect(again).toMatchObject({ status: 409, body: { code: "not_running" } });
	});

	it("refuses a clerk who sees the process but may not stop it with 403", async () => {
		const me = await starter();
		const clerk = await apiUser({ roles: ["clerks"] });
		const { body } = await json<Started>(me, "/api/v1/processes", {
			body: { workflowKey: EXPENSE },
		});
		let res = await json(clerk, `/api/v1/processes/${body.processId}/stop`, { method: "POST" });
		for (let i = 0; res.status === 404 && i < 100; i++) {
			await new Promise((r) => setTimeout(r, 10));
			res = await json(clerk, `/api/v1/processes/${body.processId}/stop`, { method: "POST" });
		}
		expect(res).toMatchObject({ status: 403, body: { code: "forbidden" } });
	});
});
