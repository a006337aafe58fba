// External task workers (K1, K2): /api/v1/fetch-and-lock hands out the tasks of the external types
// a worker serves, locked for it; /api/v1/external-tasks/{taskId}/… completes or fails them,
// extends their locks and reports progress. (Fetch-and-lock has a path of its own: Hono's
// RegExpRouter cannot hold a fixed segment beside the task id for one method, as /drafts shows.)
// Admins only, with the `external-tasks` scope on a token, which serves only the task types named
// on it.
// A report that is no longer current answers 200 with `stale: true` and changes nothing (T8): a
// worker must not retry it, only stop working on that attempt. docs/external-workers.md.
import { type Context, Hono } from "hono";
import type { CurrentUser } from "../../../auth/current-user.ts";
import { canServeExternalTasks, servedTaskTypes } from "../../../auth/permissions.ts";
import { processStub } from "../../../durable/process-client.ts";
import { processIdOfTask } from "../../../engine/index.ts";
import { fetchAndLock } from "../../../external/fetch-and-lock.ts";
import type { WorkerAct } from "../../../external/worker-report.ts";
import { isPlausibleId } from "../../../processes/access.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { requireUser } from "../../middleware/authorize.ts";
import { readBody } from "./http.ts";
import { defineOperations, ok, responses } from "./operation.ts";
import {
	completeExternalSchema,
	extendLockSchema,
	failExternalSchema,
	fetchAndLockSchema,
	fetchedSchema,
	reportedSchema,
	reportProgressSchema,
} from "./schemas.ts";
import { TASK_ID, taskIdOf, taskIdParam } from "./task-path.ts";

type Ctx = Context<AppEnv>;

const notServer = "Not an admin, or the token lacks external-tasks";
const reportResponses = (what: string) =>
	responses({
		200: ok(`${what}; or, when stale is true, nothing changed (T8)`, reportedSchema),
		403: `${notServer}, or the task's type is not among the token's task types`,
		404: "No such external task",
		422: "invalid_params: the body is not valid (details.issues)",
	});

export const externalTaskOperations = defineOperations("External tasks", [
	{
		method: "post",
		path: "/api/v1/fetch-and-lock",
		operationId: "fetchAndLockExternalTasks",
		summary: "Fetch up to maxTasks tasks of your types, each locked for you for lockMs",
		description:
			"Highest priority first (0), then oldest, and no type starves another. When none is ready, the call waits up to waitMs for one and answers as soon as one is. Each task comes with its attempt, merged params and an idempotency key; report on it before lockedUntil, or extend the lock: a lock that lapses makes a new attempt, offered to any worker, and your late report stale (K2).",
		scope: "external-tasks",
		body: fetchAndLockSchema,
		responses: responses({
			200: ok("The tasks locked for you (an empty list when none came in time)", fetchedSchema),
			403: notServer,
			422: "invalid_params: the body is not valid (details.issues)",
		}),
	},
	{
		method: "post",
		path: "/api/v1/external-tasks/{taskId}/complete",
		operationId: "completeExternalTask",
		summary: "Complete the attempt you hold, with its result",
		scope: "external-tasks",
		pathParams: taskIdParam,
		body: completeExternalSchema,
		responses: reportResponses("Completed: the process goes on"),
	},
	{
		method: "post",
		path: "/api/v1/external-tasks/{taskId}/fail",
		operationId: "failExternalTask",
		summary: "Fail the attempt you hold: retried after its backoff, or failed for good",
		description:
			"retryable with attempts left: the task is RETRY and offered again after the type's backoff (T6). Otherwise it is FAILURE with the error, which failure routes and error boundaries match by code (R3, B4), else an incident.",
		scope: "external-tasks",
		pathParams: taskIdParam,
		body: failExternalSchema,
		responses: reportResponses("Failed: status RETRY or FAILURE"),
	},
	{
		method: "post",
		path: "/api/v1/external-tasks/{taskId}/extend-lock",
		operationId: "extendExternalTaskLock",
		summary: "Keep your lock lockMs longer, counted from now (K2)",
		scope: "external-tasks",
		pathParams: taskIdParam,
		body: extendLockSchema,
		responses: reportResponses("Extended: lockedUntil"),
	},
	{
		method: "post",
		path: "/api/v1/external-tasks/{taskId}/progress",
		operationId: "reportExternalTaskProgress",
		summary: "Report progress (0–100) of the attempt you hold; it does not extend the lock",
		scope: "external-tasks",
		pathParams: taskIdParam,
		body: reportProgressSchema,
		responses: reportResponses("Recorded"),
	},
]);

/** K1: who may serve external tasks, and which types (null: any). */
function servedTypes(user: CurrentUser): readonly string[] | null {
	if (!canServeExternalTasks(user)) {
		throw new AppError("forbidden", "Only administrators serve external tasks.");
	}
	return servedTaskTypes(user);
}

/** Sends the report to the task's process, and answers what it did. */
async function report(
	c: Ctx,
	types: readonly string[] | null,
	{ attempt, workerId }: { attempt: number; workerId: string },
	act: WorkerAct,
) {
	const taskId = taskIdOf(c);
	const processId = processIdOfTask(taskId);
	if (!processId || !isPlausibleId(taskId)) {
		throw new AppError("not_found", "There is no such external task.");
	}
	const answer = await processStub(c.env, processId).reportExternal({
		taskId,
		attempt,
		worker: workerId,
		types,
		act,
	});
	switch (answer.outcome) {
		case "not_found":
			throw new AppError("not_found", "There is no such external task.");
		case "forbidden":
			throw new AppError(
				"forbidden",
				`This token does not serve the task type "${answer.taskType}".`,
				{ taskType: answer.taskType },
			);
		case "applied":
		case "stale": {
			const { task } = answer;
			const mine = task.lockedBy === workerId && task.lockedUntil !== undefined;
			return c.json({
				taskId,
				attempt,
				stale: answer.outcome === "stale",
				...(answer.outcome === "stale" ? { reason: answer.reason } : {}),
				...(answer.outcome === "applied" && answer.duplicate ? { duplicate: true } : {}),
				status: task.status,
				currentAttempt: task.attempt,
				progress: task.progress,
				...(mine ? { lockedUntil: task.lockedUntil } : {}),
			});
		}
	}
}

export const externalTasksApi = new Hono<AppEnv>()
	.post("/fetch-and-lock", async (c) => {
		const served = servedTypes(requireUser(c));
		const input = await readBody(c, fetchAndLockSchema);
		const types = served === null ? input.types : input.types.filter((t) => served.includes(t));
		const ignoredTypes = input.types.filter((t) => !types.includes(t));
		const tasks = await fetchAndLock(c.env, {
			worker: input.workerId,
			types,
			max: input.maxTasks,
			lockMs: input.lockMs,
			waitMs: input.waitMs,
		});
		return c.json({ tasks, ...(ignoredTypes.length > 0 ? { ignoredTypes } : {}) });
	})
	.post(`/external-tasks/${TASK_ID}/complete`, async (c) => {
		const types = servedTypes(requireUser(c));
		const input = await readBody(c, completeExternalSchema);
		return report(c, types, input, {
			kind: "complete",
			result: input.result,
			...(input.log ? { log: input.log } : {}),
		});
	})
	.post(`/external-tasks/${TASK_ID}/fail`, async (c) => {
		const types = servedTypes(requireUser(c));
		const input = await readBody(c, failExternalSchema);
		return report(c, types, input, {
			kind: "fail",
			error: input.error,
			retryable: input.retryable,
			...(input.log ? { log: input.log } : {}),
		});
	})
	.post(`/external-tasks/${TASK_ID}/extend-lock`, async (c) => {
		const types = servedTypes(requireUser(c));
		const input = await readBody(c, extendLockSchema);
		return report(c, types, input, { kind: "extend-lock", lockMs: input.lockMs });
	})
	.post(`/external-tasks/${TASK_ID}/progress`, async (c) => {
		const types = servedTypes(requireUser(c));
		const input = await readBody(c, reportProgressSchema);
		return report(c, types, input, { kind: "progress", progress: input.progress });
	});
