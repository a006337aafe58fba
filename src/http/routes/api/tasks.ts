// /api/v1/tasks: your work (assigned to you, queued for your roles), one task with its form, claim
// a task of your role's queue, submit values (T4). A task you may not see answers 404; one you may
// see but not act on, 403. The ProcessObject re-checks every act.
// biome-ignore lint/style/noRestrictedImports: visibleTask still reads the index; it moves onto the application layer (#13)
import { eq } from "drizzle-orm";
// biome-ignore lint/style/noRestrictedImports: visibleTask still reads the index; it moves onto the application layer (#13)
import { drizzle } from "drizzle-orm/d1";
import { type Context, Hono } from "hono";
import { type CurrentUser, toActor } from "../../../auth/current-user.ts";
import { canActOnTask, canClaimTask, canSeeTask } from "../../../auth/permissions.ts";
import { listTasksFor } from "../../../db/process-index.ts";
// biome-ignore lint/style/noRestrictedImports: visibleTask still reads the index; it moves onto the application layer (#13)
import { tasks } from "../../../db/schema/index.ts";
import { processStub, runCommand } from "../../../durable/process-client.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { requireUser } from "../../middleware/authorize.ts";
import { decodeCursor, encodeCursor, readBody, readEmpty, readQuery } from "./http.ts";
import { defineOperations } from "./operation.ts";
import {
	claimedSchema,
	errorSchema,
	submittedSchema,
	submitValuesSchema,
	taskListQuery,
	taskPageSchema,
	taskSchema,
} from "./schemas.ts";
import { taskDetail, taskSummary } from "./views.ts";

type Ctx = Context<AppEnv>;

/**
 * Task ids are "<process id>/t<n>": the route takes the slash as it is or escaped (%2F), so that
 * generated clients, which escape path parameters, reach it too.
 */
const TASK_ID = ":id{p-[0-9a-f]+(?:/|%2[Ff])t[0-9]+}";
const ACTIVE = ["PENDING", "STARTED", "RETRY"];
const idParam = { taskId: 'The task id, "<process id>/t<n>" (the "/" may be sent as %2F)' };

export const taskOperations = defineOperations([
	{
		method: "get",
		path: "/api/v1/tasks",
		operationId: "listTasks",
		summary: "Your tasks: assigned to you and queued for your roles",
		tag: "Tasks",
		scope: "read",
		query: taskListQuery,
		responses: { 200: { description: "A page, oldest first", schema: taskPageSchema } },
	},
	{
		method: "get",
		path: "/api/v1/tasks/{taskId}",
		operationId: "getTask",
		summary: "Get a task with its params and, while it waits for input, its form",
		tag: "Tasks",
		scope: "read",
		pathParams: idParam,
		responses: {
			200: { description: "The task", schema: taskSchema },
			404: { description: "No such task, or not yours to see", schema: errorSchema },
		},
	},
	{
		method: "post",
		path: "/api/v1/tasks/{taskId}/claim",
		operationId: "claimTask",
		summary: "Take a task of your role's queue (assign it to yourself)",
		tag: "Tasks",
		scope: "tasks:write",
		pathParams: idParam,
		responses: {
			200: { description: "Assigned to you", schema: claimedSchema },
			403: { description: "Not a task of your roles' queues", schema: errorSchema },
			404: { description: "No such task, or not yours to see", schema: errorSchema },
			409: { description: "The task has ended", schema: errorSchema },
		},
	},
	{
		method: "post",
		path: "/api/v1/tasks/{taskId}/values",
		operationId: "submitValues",
		summary: "Submit the values a task waits for (T4)",
		tag: "Tasks",
		scope: "tasks:write",
		pathParams: idParam,
		body: submitValuesSchema,
		responses: {
			200: { description: "Accepted; the task runs or completes", schema: submittedSchema },
			403: { description: "You may see the task but not act on it", schema: errorSchema },
			404: { description: "No such task, or not yours to see", schema: errorSchema },
			409: {
				description: "already_started: it no longer waits (or its process has ended)",
				schema: errorSchema,
			},
			422: {
				description:
					"invalid_params, details.fields: a message per field; details.notOffered: keys the task's form does not offer (T11)",
				schema: errorSchema,
			},
		},
	},
]);

/** The index row of a task the user may see; else 404. */
async function visibleTask(c: Ctx, user: CurrentUser) {
	const id = decodeURIComponent(c.req.param("id") ?? "");
	const [row] = await drizzle(c.env.DB).select().from(tasks).where(eq(tasks.id, id)).limit(1);
	if (!row || !canSeeTask(user, row)) throw new AppError("not_found", "No such task.");
	return row;
}

async function taskState(c: Ctx, processId: string, taskId: string) {
	const view = await processStub(c.env, processId).view();
	const task = view?.state.tasks.find((t) => t.id === taskId);
	if (!view || !task) throw new AppError("not_found", "No such task.");
	return { view, task };
}

export const tasksApi = new Hono<AppEnv>()
	.get("/tasks", async (c) => {
		const user = requireUser(c);
		const q = readQuery(c, taskListQuery);
		const after = decodeCursor(q.cursor);
		const { items, hasMore } = await listTasksFor(c.env.DB, user, q.scope, {
			status: q.status,
			workflow: q.workflow,
			process: q.process,
			after,
			limit: q.limit,
		});
		const last = items.at(-1);
		return c.json({
			items: items.map(taskSummary),
			nextCursor: hasMore && last ? encodeCursor(last.createdAt, last.id) : null,
		});
	})
	.get(`/tasks/${TASK_ID}`, async (c) => {
		const user = requireUser(c);
		const row = await visibleTask(c, user);
		const { view, task } = await taskState(c, row.processId, row.id);
		return c.json(taskDetail(view, task));
	})
	.post(`/tasks/${TASK_ID}/claim`, async (c) => {
		const user = requireUser(c);
		await readEmpty(c);
		const row = await visibleTask(c, user);
		if (!ACTIVE.includes(row.status)) {
			throw new AppError("conflict", `The task is ${row.status}; it cannot be taken.`);
		}
		if (row.assignee === user.id) return c.json({ taskId: row.id, assignee: user.id });
		if (!canClaimTask(user, row)) {
			throw new AppError("forbidden", "Only a member of the task's role may take it.");
		}
		// The engine checks the claim again and records who claimed the task in the history.
		await runCommand(c.env, row.processId, {
			type: "AssignTask",
			taskId: row.id,
			assignee: user.id,
			actor: toActor(user),
		});
		const { task } = await taskState(c, row.processId, row.id);
		if (task.assignee !== user.id) {
			throw new AppError("conflict", `The task is ${task.status}; it cannot be taken.`);
		}
		return c.json({ taskId: row.id, assignee: user.id });
	})
	.post(`/tasks/${TASK_ID}/values`, async (c) => {
		const user = requireUser(c);
		const { values } = await readBody(c, submitValuesSchema);
		const row = await visibleTask(c, user);
		// An ended task is the engine's to refuse (409); an active one not yours is 403 here.
		if (ACTIVE.includes(row.status) && !canActOnTask(user, row)) {
			throw new AppError("forbidden", "You may not act on this task.");
		}
		await runCommand(c.env, row.processId, {
			type: "SubmitValues",
			taskId: row.id,
			values,
			actor: toActor(user),
		});
		const { task } = await taskState(c, row.processId, row.id);
		return c.json({ taskId: row.id, status: task.status });
	});
