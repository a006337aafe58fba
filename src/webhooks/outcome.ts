// What an accepted delivery answers, and what the start and event handlers share while handling one.
import type { DeliveryIds, DeliveryLog } from "./delivery-log.ts";
import type { Trigger } from "./trigger.ts";

export interface Accepted {
	status: 200 | 202;
	/** The delivery log row of this receipt. */
	logId: string;
	body: {
		deliveryId: string;
		processId?: string;
		taskId?: string;
		url?: string;
		/** An event nobody waited for yet: kept until then for the task that will (epoch ms). */
		keptUntil?: number;
		/** Set when an earlier copy of this delivery was accepted first: the answer is the same. */
		duplicate?: boolean;
		pong?: boolean;
	};
}

export interface DeliveryContext {
	trigger: Trigger;
	log: DeliveryLog;
	ids: DeliveryIds;
	/** The site's origin, for the process URL in the answer. */
	origin: string;
}

/** The process page, as answered to senders. */
export function processUrl(origin: string, processId: string): string {
	return `${origin}/processes/${processId}`;
}

/** The 202 a sender gets for a delivery that started or moved a process (the same for a copy). */
export function acceptedInto(
	{ ids, origin }: Pick<DeliveryContext, "ids" | "origin">,
	logId: string,
	first: boolean,
	processId: string,
	taskId?: string,
): Accepted {
	return {
		status: 202,
		logId,
		body: {
			deliveryId: ids.deliveryId,
			processId,
			...(taskId === undefined ? {} : { taskId }),
			url: processUrl(origin, processId),
			...(first ? {} : { duplicate: true }),
		},
	};
}
