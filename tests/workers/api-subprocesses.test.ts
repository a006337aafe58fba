// The API reaches what the pages show (issue #13, item 9): a subprocess (`p-…/t1/p1`) and its
// tasks (`p-…/t1/p1/t1`) are read, filled in and stopped through the same acts as a top-level
// process, the "/" sent as it is or as %2F. Before, both answered 404 even for an admin.
import { beforeAll, describe, expect, it } from "vitest";
import { apiUser, json } from "./api-fixtures.ts";
import { publish, waitFor, workflow } from "./process-fixtures.ts";

beforeAll(async () => {
	await publish(
		workflow(
			"api-child",
			[
				{
					key: "form",
					task: "ask",
					start: true,
					end: true,
					params: { questions: { note: { label: "Note", required: true } } },
				},
			],
			[],
		),
	);
	await publish(
		workflow(
			"api-parent",
			[
				{ key: "call", task: "subprocess", start: true, params: { workflow: "api-child" } },
				{ key: "after", task: "dummy", end: true },
			],
			[{ from: "call", to: "after" }],
		),
	);
});

describe("subprocesses through the API", () => {
	it("reads a subprocess and its task, and fills the task in, with the id's slashes plain or escaped", async () => {
		const admin = await apiUser({ isAdmin: true });
		const started = await json<{ processId: string }>(admin, "/api/v1/processes", {
			body: { workflowKey: "api-parent" },
		});
		const parentId = started.body.processId;
		const running = await waitFor(parentId, (v) => v.state.tasks[0]?.childProcessId !== undefined);
		const childId = running.state.tasks[0]?.childProcessId as string;
		const child = await waitFor(childId, (v) => v.state.tasks[0]?.awaitingInput === true);
		const taskId = child.state.tasks[0]?.id as string;

		const plain = await json<{ id: string; status: string }>(admin, `/api/v1/processes/${childId}`);
		expect(plain).toMatchObject({ status: 200, body: { id: childId, status: "STARTED" } });
		const escaped = await json(admin, `/api/v1/processes/${encodeURIComponent(childId)}`);
		expect(escaped.status).toBe(200);

		const task = await json<{ id: string; form: { name: string }[] }>(
			admin,
			`/api/v1/tasks/${encodeURIComponent(taskId)}`,
		);
		expect(task).toMatchObject({ status: 200, body: { id: taskId } });
		expect(task.body.form.map((f) => f.name)).toEqual(["note"]);
		const submitted = await json(admin, `/api/v1/tasks/${taskId}/values`, {
			body: { values: { note: "from the API" } },
		});
		expect(submitted).toMatchObject({ status: 200, body: { taskId, status: "SUCCESS" } });
		const done = await waitFor(parentId, (v) => v.state.status === "SUCCESS");
		expect(done.state.tasks.map((t) => `${t.node}:${t.status}`)).toEqual([
			"call:SUCCESS",
			"after:SUCCESS",
		]);
	});

	it("answers 404 for a subprocess the caller may not see, exactly as for a missing one", async () => {
		const admin = await apiUser({ isAdmin: true });
		const stranger = await apiUser({});
		const started = await json<{ processId: string }>(admin, "/api/v1/processes", {
			body: { workflowKey: "api-parent" },
		});
		const running = await waitFor(
			started.body.processId,
			(v) => v.state.tasks[0]?.childProcessId !== undefined,
		);
		const childId = running.state.tasks[0]?.childProcessId as string;
		await waitFor(childId, (v) => v.state.tasks.length > 0);
		const hidden = await json(stranger, `/api/v1/processes/${childId}`);
		const missing = await json(stranger, `/api/v1/processes/${started.body.processId}/t1/p9`);
		expect(hidden.status).toBe(404);
		expect(missing.status).toBe(404);
		expect(hidden.body).toEqual(missing.body);
	});
});
