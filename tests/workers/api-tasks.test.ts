// /api/v1/tasks: your work, one task with its form, claiming from the role's queue, submitting
// values (T4); someone else's task is a 404, a task you see but may not act on a 403.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { processStub } from "../../src/durable/process-client.ts";
import { type ApiUser, apiUser, json } from "./api-fixtures.ts";
import { publish, waitFor, workflow } from "./process-fixtures.ts";

const WORKFLOW = "purchase";

beforeAll(async () => {
	await publish(
		workflow(
			WORKFLOW,
			[
				{
					key: "order",
					name: "Order the goods",
					task: "ask",
					role: "buyers",
					start: true,
					params: {
						questions: {
							supplier: { label: "Supplier", required: true },
							amount: { label: "Amount", type: "number", min: 1, required: true },
						},
					},
				},
				{ key: "done", task: "dummy", end: true },
			],
			[{ from: "order", to: "done" }],
			{ roles: [{ key: "buyers", name: "Buyers" }] },
		),
	);
});

interface TaskItem {
	id: string;
	processId: string;
	node: string;
	status: string;
	assignee: string | null;
	role: string | null;
}

/** Starts a process as an admin and returns its task once assigned (T3) and indexed. */
async function openTask(): Promise<TaskItem> {
	const admin = await apiUser({ isAdmin: true });
	const { body } = await json<{ processId: string }>(admin, "/api/v1/processes", {
		body: { workflowKey: WORKFLOW },
	});
	await waitFor(body.processId, (v) => v.state.tasks[0]?.assignee !== undefined);
	for (let i = 0; i < 200; i++) {
		const row = await env.DB.prepare(
			"SELECT * FROM tasks WHERE process_id = ?1 AND assignee IS NOT NULL",
		)
			.bind(body.processId)
			.first<{ id: string; assignee: string }>();
		if (row)
			return {
				id: row.id,
				processId: body.processId,
				node: "order",
				status: "PENDING",
				assignee: row.assignee,
				role: "buyers",
			};
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error("the task was never assigned in the index");
}

/** Two buyers (the first gets new tasks: fewest active, earliest member) and a stranger. */
let alice: ApiUser;
let bob: ApiUser;
let stranger: ApiUser;

beforeAll(async () => {
	alice = await apiUser({ roles: ["buyers"] });
	bob = await apiUser({ roles: ["buyers"] });
	stranger = await apiUser({ roles: ["sellers"] });
});

describe("the task API", () => {
	it("lists the tasks assigned to me and queued for my roles, not others'", async () => {
		const task = await openTask();
		const assignee = task.assignee === alice.id ? alice : bob;
		const colleague = assignee === alice ? bob : alice;
		const mine = await json<{ items: TaskItem[] }>(assignee, "/api/v1/tasks?scope=mine");
		expect(mine.body.items.map((t) => t.id)).toContain(task.id);
		const theirs = await json<{ items: TaskItem[] }>(colleague, "/api/v1/tasks?scope=mine");
		expect(theirs.body.items.map((t) => t.id)).not.toContain(task.id);
		const roles = await json<{ items: TaskItem[] }>(colleague, "/api/v1/tasks");
		expect(roles.body.items.map((t) => t.id)).toContain(task.id);
		const none = await json<{ items: TaskItem[] }>(stranger, "/api/v1/tasks?scope=all");
		expect(none.body.items.map((t) => t.id)).not.toContain(task.id);
	});

	it("pages through tasks with a cursor, oldest first", async () => {
		const made = [await openTask(), await openTask(), await openTask()].map((t) => t.id);
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const path: string = `/api/v1/tasks?scope=roles&workflow=${WORKFLOW}&limit=1${cursor ? `&cursor=${cursor}` : ""}`;
			const page = await json<{ items: TaskItem[]; nextCursor: string | null }>(alice, path);
			seen.push(...page.body.items.map((t) => t.id));
			cursor = page.body.nextCursor;
		} while (cursor);
		expect(seen.filter((id) => made.includes(id))).toEqual(made);
		expect(seen).toEqual([...seen].sort((a, b) => seen.indexOf(a) - seen.indexOf(b)));
	});

	it("shows a task with its form; a stranger gets 404 by id, raw or with the slash escaped", async () => {
		const task = await openTask();
		const got = await json<{
			form: { name: string; required: boolean }[];
			requiredFields: string[];
		}>(alice, `/api/v1/tasks/${task.id}`);
		expect(got.status).toBe(200);
		expect(got.body.form.map((f) => [f.name, f.required])).toEqual([
			["supplier", true],
			["amount", true],
		]);
		const escaped = await json(alice, `/api/v1/tasks/${encodeURIComponent(task.id)}`);
		expect(escaped.status).toBe(200);
		const hidden = await json(stranger, `/api/v1/tasks/${task.id}`);
		const missing = await json(stranger, `/api/v1/tasks/${task.processId}/t999`);
		expect(hidden).toMatchObject({ status: 404, body: { code: "not_found" } });
		expect(hidden.body).toEqual(missing.body);
		const submit = await json(stranger, `/api/v1/tasks/${task.id}/values`, {
			body: { values: { supplier: "x", amount: 2 } },
		});
		expect(submit.status).toBe(404);
		expect((await processStub(env, task.processId).view())?.state.tasks[0]?.status).toBe("PENDING");
	});

	it("lets a colleague claim a task of the role's queue, then act on it", async () => {
		const task = await openTask();
		const colleague = task.assignee === alice.id ? bob : alice;
		const before = await json(colleague, `/api/v1/tasks/${task.id}/values`, {
			body: { values: { supplier: "ACME", amount: 5 } },
		});
		expect(before).toMatchObject({ status: 403, body: { code: "forbidden" } });
		const claimed = await json(colleague, `/api/v1/tasks/${task.id}/claim`, { method: "POST" });
		expect(claimed).toMatchObject({
			status: 200,
			body: { taskId: task.id, assignee: colleague.id },
		});
		const history = await processStub(env, task.processId).history();
		expect(history.filter((e) => e.type === "TaskAssigned").at(-1)).toMatchObject({
			actor: colleague.id,
			data: { assignee: colleague.id },
		});
		const submitted = await json(colleague, `/api/v1/tasks/${task.id}/values`, {
			body: { values: { supplier: "ACME", amount: 5 } },
		});
		expect(submitted).toMatchObject({ status: 200, body: { taskId: task.id, status: "SUCCESS" } });
		const done = await waitFor(task.processId, (v) => v.state.status === "SUCCESS");
		expect(done.state.tasks[0]?.submittedBy).toBe(colleague.id);
		const late = await json<{ code: string }>(colleague, `/api/v1/tasks/${task.id}/values`, {
			body: { values: { supplier: "ACME", amount: 5 } },
		});
		expect(late.status).toBe(409);
		expect(["already_started", "not_running"]).toContain(late.body.code);
		const lateClaim = await json(colleague, `/api/v1/tasks/${task.id}/claim`, { method: "POST" });
		expect(lateClaim.status).toBe(409);
	});

	it("refuses invalid values with 422 and a message per field, leaving the task waiting", async () => {
		const task = await openTask();
		const assignee = task.assignee === alice.id ? alice : bob;
		const res = await json<{ code: string; details: { fields: Record<string, string> } }>(
			assignee,
			`/api/v1/tasks/${task.id}/values`,
			{ body: { values: { amount: 0 } } },
		);
		expect(res.status).toBe(422);
		expect(res.body.code).toBe("invalid_params");
		expect(Object.keys(res.body.details.fields).sort()).toEqual(["amount", "supplier"]);
		expect((await processStub(env, task.processId).view())?.state.tasks[0]?.status).toBe("PENDING");
		const extra = await json(assignee, `/api/v1/tasks/${task.id}/values`, {
			body: { values: {}, status: "SUCCESS" },
		});
		expect(extra.status).toBe(422);
	});

	it("refuses a stranger's claim with 404 and a token without tasks:write with 403", async () => {
		const task = await openTask();
		expect(
			(await json(stranger, `/api/v1/tasks/${task.id}/claim`, { method: "POST" })).status,
		).toBe(404);
		const readOnly = await apiUser({ roles: ["buyers"], scopes: ["read"] });
		const res = await json(readOnly, `/api/v1/tasks/${task.id}/claim`, { method: "POST" });
		expect(res).toMatchObject({
			status: 403,
			body: { code: "forbidden", details: { needed: "tasks:write" } },
		});
		expect((await json(readOnly, `/api/v1/tasks/${task.id}`)).status).toBe(200);
	});
});
