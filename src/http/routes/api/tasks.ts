// /api/v1/tasks: your work (assigned to you, queued for your roles), one task with its form, claim
// a task of your role's queue, submit values (T4). A task you may not see answers 404; one you may
// see but not act on, 403. The ProcessObject re-checks every act.
import { Hono } from "hono";
import { listTasksFor } from "../../../db/process-index.ts";
import { visibleTask } from "../../../processes/access.ts";
import { claimTask, submitValues } from "../../../processes/acts.ts";
import type { AppEnv } from "../../context.ts";
import { requireUser } from "../../middleware/authorize.ts";
import { decodeCursor, encodeCursor, readBody, readEmpty, readQuery } from "./http.ts";
import { defineOperations, notYours, ok, responses } from "./operation.ts";
import {
	claimedSchema,
	submittedSchema,
	submitValuesSchema,
	taskListQuery,
	taskPageSchema,
	taskSchema,
} from "./schemas.ts";
import { taskIdParam as idParam, TASK_ID, taskIdOf } from "./task-path.ts";
import { taskDetail, taskSummary } from "./views.ts";

export const taskOperations = defineOperations("Tasks", [
	{
		method: "get",
		path: "/api/v1/tasks",
		operationId: "listTasks",
		summary: "Your tasks: assigned to you and queued for your roles",
		scope: "read",
		query: taskListQuery,
		responses: responses({ 200: ok("A page, oldest first", taskPageSchema) }),
	},
	{
		method: "get",
		path: "/api/v1/tasks/{taskId}",
		operationId: "getTask",
		summary: "Get a task with its params and, while it waits for input, its form",
		scope: "read",
		pathParams: idParam,
		responses: responses({ 200: ok("The task", taskSchema), 404: notYours("task") }),
	},
	{
		method: "post",
		path: "/api/v1/tasks/{taskId}/claim",
		operationId: "claimTask",
		summary: "Take a task of your role's queue (assign it to yourself)",
		scope: "tasks:write",
		pathParams: idParam,
		responses: responses({
			200: ok("Assigned to you", claimedSchema),
			403: "Not a task of your roles' queues",
			404: notYours("task"),
			409: "The task has ended",
		}),
	},
	{
		method: "post",
		path: "/api/v1/tasks/{taskId}/values",
		operationId: "submitValues",
		summary: "Submit the values a task waits for (T4)",
		scope: "tasks:write",
		pathParams: idParam,
		body: submitValuesSchema,
		responses: responses({
			200: ok("Accepted; the task runs or completes", submittedSchema),
			403: "You may see the task but not act on it",
			404: notYours("task"),
			409: "already_started: it no longer waits (or its process has ended)",
			422: "invalid_params, details.fields: a message per field; details.notOffered: keys the task's form does not offer (T11)",
		}),
	},
]);

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
		const { view, task } = await visibleTask(c.env, user, taskIdOf(c));
		return c.json(taskDetail(view, task));
	})
	.post(`/tasks/${TASK_ID}/claim`, async (c) => {
		const user = requireUser(c);
		await readEmpty(c);
		const { task } = await claimTask(c.env, user, taskIdOf(c));
		return c.json({ taskId: task.id, assignee: user.id });
	})
	.post(`/tasks/${TASK_ID}/values`, async (c) => {
		const user = requireUser(c);
		const { values } = await readBody(c, submitValuesSchema);
		const { task } = await submitValues(c.env, user, taskIdOf(c), values);
		return c.json({ taskId: task.id, status: task.status });
	});
