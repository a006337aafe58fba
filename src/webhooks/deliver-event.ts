// Events into running processes: a verified event names a correlation key; the longest-waiting
// STARTED `event` task of the trigger's workflow with that key (found in the D1 index, confirmed
// by its ProcessObject, since the index may lag) completes with the payload as its result, through
// DeliverEvent keyed by the delivery, so copies deliver once.
// No waiting task: 404 `no_waiting_task`, logged; the sender retries, or an admin replays later.
import { waitingEventTasks } from "../db/process-index.ts";
import { processStub, runCommand } from "../durable/process-client.ts";
import { EngineError } from "../engine/index.ts";
import { AppError } from "../errors.ts";
import type { Target } from "./delivery-log.ts";
import { type Accepted, type DeliveryContext, processUrl } from "./outcome.ts";
import { CORRELATION_PARAM } from "./trigger.ts";

/** How many index candidates are checked against their ProcessObject before giving up. */
const CANDIDATES = 10;

/** The first candidate whose ProcessObject still has the task waiting (the source of truth). */
async function waitingTask(
	env: Env,
	workflowKey: string,
	correlationKey: string,
): Promise<Target | undefined> {
	const candidates = await waitingEventTasks(env.DB, workflowKey, correlationKey, CANDIDATES);
	for (const candidate of candidates) {
		const view = await processStub(env, candidate.processId).view();
		const task = view?.state.tasks.find((t) => t.id === candidate.taskId);
		if (view?.state.status === "STARTED" && task?.status === "STARTED") return candidate;
	}
	return undefined;
}

function correlationKeyOf(params: Record<string, unknown>): string | undefined {
	const raw = params[CORRELATION_PARAM];
	const key = typeof raw === "number" && Number.isFinite(raw) ? String(raw) : raw;
	return typeof key === "string" && key.length > 0 && key.length <= 200 ? key : undefined;
}

export async function deliverEvent(
	env: Env,
	{ trigger, log, ids, origin }: DeliveryContext,
	params: Record<string, unknown>,
	payload: unknown,
): Promise<Accepted> {
	const correlationKey = correlationKeyOf(params);
	if (correlationKey === undefined) {
		const message = "a string of 1 to 200 characters, or a number";
		const error = new AppError("invalid_params", "The correlation key is not usable.", {
			problems: [{ param: CORRELATION_PARAM, message }],
		});
		throw await log.refuse(error, `${CORRELATION_PARAM}: ${message}`, ids);
	}
	// A redelivery goes to the task its first copy went to; a new delivery to the one waiting now.
	const earlier = await log.earlier(ids);
	const found = earlier?.taskId
		? earlier
		: await waitingTask(env, trigger.workflowKey, correlationKey);
	if (!found?.processId || !found.taskId) {
		const error = new AppError(
			"no_waiting_task",
			`No task waits for the correlation key "${correlationKey}".`,
			{ correlationKey },
		);
		throw await log.refuse(error, `no task waits for "${correlationKey}"`, ids);
	}
	const { logId, first, target } = await log.accept(ids, found, 202);
	const processId = target.processId ?? found.processId;
	const taskId = target.taskId ?? found.taskId;
	const key = `event:${trigger.key}:${ids.dedupeKey}`;
	if (!(await deliverTo(env, processId, taskId, payload, key))) {
		const error = new AppError(
			"no_waiting_task",
			`The task that waited for "${correlationKey}" no longer waits.`,
			{ correlationKey },
		);
		throw await log.refuseAccepted(logId, error, `task ${taskId} stopped waiting`);
	}
	return {
		status: 202,
		logId,
		body: {
			deliveryId: ids.deliveryId,
			processId,
			taskId,
			url: processUrl(origin, processId),
			...(first ? {} : { duplicate: true }),
		},
	};
}

/**
 * DeliverEvent under `key`; true when the task ended with this payload as its result. A task that
 * no longer waits acknowledges the event without effect (T8), which this check tells apart.
 */
async function deliverTo(
	env: Env,
	processId: string,
	taskId: string,
	payload: unknown,
	key: string,
): Promise<boolean> {
	try {
		await runCommand(env, processId, { type: "DeliverEvent", taskId, payload }, key);
	} catch (e) {
		if (e instanceof EngineError) return false;
		throw e;
	}
	const view = await processStub(env, processId).view();
	const task = view?.state.tasks.find((t) => t.id === taskId);
	return task?.status === "SUCCESS" && JSON.stringify(task.result) === JSON.stringify(payload);
}
