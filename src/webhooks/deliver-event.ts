// Events into running processes: a verified event is one more way to publish a message (N2). It is
// named "event" (the `event` task's default message) with the mapped correlation key, its id is
// the signed delivery id, so copies publish it once, and it reaches only the trigger's workflow.
// The task of that workflow that has waited longest for the key takes it; when none waits yet, it
// is kept until one does, or until its time-to-live ends (202 with `keptUntil`).
import { AppError } from "../errors.ts";
import type { Published } from "../messages/publish.ts";
import { publishFromTrigger } from "../processes/acts.ts";
import type { Target } from "./delivery-log.ts";
import { type Accepted, type DeliveryContext, processUrl } from "./outcome.ts";
import { CORRELATION_PARAM } from "./trigger.ts";

/** The message an event trigger publishes: what an `event` task waits for unless told otherwise. */
export const EVENT_MESSAGE = "event";

function correlationKeyOf(params: Record<string, unknown>): string | undefined {
	const raw = params[CORRELATION_PARAM];
	const key = typeof raw === "number" && Number.isFinite(raw) ? String(raw) : raw;
	return typeof key === "string" && key.length > 0 && key.length <= 200 ? key : undefined;
}

/** Where the event went, for the delivery log: the task that took it, or a process it started. */
function targetOf({ box, started }: Published): Target {
	if (box.status === "delivered") return { processId: box.processId, taskId: box.taskId };
	return { processId: started[0]?.processId ?? null, taskId: null };
}

/** Why nothing took it yet, for the delivery log. */
function reasonOf({ box }: Published): string | null {
	if (box.status === "kept") return `kept until ${new Date(box.expiresAt).toISOString()}`;
	if (box.status === "expired") return `expired at ${new Date(box.expiresAt).toISOString()}`;
	return null;
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
	const published = await publishFromTrigger(env, trigger, {
		messageId: ids.dedupeKey,
		name: EVENT_MESSAGE,
		correlationKey,
		payload,
	});
	const target = targetOf(published);
	const { logId, first } = await log.accept(ids, target, 202, reasonOf(published));
	const { box } = published;
	return {
		status: 202,
		logId,
		body: {
			deliveryId: ids.deliveryId,
			...(target.processId === null
				? {}
				: { processId: target.processId, url: processUrl(origin, target.processId) }),
			...(target.taskId === null ? {} : { taskId: target.taskId }),
			...(box.status === "kept" || box.status === "expired" ? { keptUntil: box.expiresAt } : {}),
			...(first ? {} : { duplicate: true }),
		},
	};
}
