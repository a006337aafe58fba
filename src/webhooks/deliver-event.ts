// Events into running processes: a verified event names a correlation key; the longest-waiting
// STARTED `event` task of the trigger's workflow with that key (found in the D1 index, confirmed
// by its ProcessObject, since the index may lag) completes with the payload as its result, through
// DeliverEvent keyed by the delivery, so copies deliver once.
// No waiting task: 404 `no_waiting_task`, logged; the sender retries, or an admin replays later.
import { waitingEventTasks } from "../db/process-index.ts";
import { AppError } from "../errors.ts";
import { deliverEvent as deliverTo, isWaiting } from "../processes/acts.ts";
import type { Target } from "./delivery-log.ts";
import { type Accepted, acceptedInto, type DeliveryContext } from "./outcome.ts";
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
		if (await isWaiting(env, candidate.processId, candidate.taskId)) return candidate;
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
	return acceptedInto({ ids, origin }, logId, first, processId, taskId);
}
