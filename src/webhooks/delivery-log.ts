// Writing one receipt to the delivery log: the row's common fields (trigger, times, the kept
// headers and the raw body for replay), accepted-or-duplicate on the signed dedupe key, refusals.
import {
	claimAccepted,
	type DeliveryRow,
	findAccepted,
	type NewDelivery,
	recordDelivery,
} from "../db/webhooks.ts";
import { type AppError, statusOf } from "../errors.ts";
import { toBase64 } from "./bytes.ts";
import type { Receipt } from "./receipt.ts";
import type { Trigger } from "./trigger.ts";

export interface DeliveryIds {
	deliveryId: string;
	dedupeKey: string;
}

/**
 * Where an accepted delivery went: the process it started, or the process and task its event went
 * to (none while the event is kept for a task that does not wait yet).
 */
export interface Target {
	processId: string | null;
	taskId: string | null;
}

export class DeliveryLog {
	private readonly db: D1Database;
	private readonly trigger: Trigger;
	private readonly receipt: Receipt;
	/** Whether this receipt has its row in the log yet (accepted, duplicate or refused). */
	written = false;

	constructor(db: D1Database, trigger: Trigger, receipt: Receipt) {
		this.db = db;
		this.trigger = trigger;
		this.receipt = receipt;
	}

	private row(
		fields: Pick<DeliveryRow, "status" | "httpStatus"> & Partial<NewDelivery>,
	): NewDelivery {
		return {
			triggerKey: this.trigger.key,
			deliveryId: null,
			dedupeKey: null,
			receivedAt: this.receipt.receivedAt,
			code: null,
			reason: null,
			processId: null,
			taskId: null,
			headers: this.receipt.headers,
			body: toBase64(this.receipt.body),
			bodySize: this.receipt.body.length,
			replayOf: this.receipt.replayOf ?? null,
			replayedBy: this.receipt.replayedBy ?? null,
			...fields,
		};
	}

	/** Logs the refusal (status from the one error mapping) and returns the error to throw. */
	async refuse(
		error: AppError,
		reason: string,
		ids?: DeliveryIds | { deliveryId: string | null },
	): Promise<AppError> {
		const httpStatus = statusOf(error.code);
		await recordDelivery(
			this.db,
			this.row({ ...ids, status: "refused", httpStatus, code: error.code, reason }),
		);
		this.written = true;
		return error;
	}

	/** Logs a receipt that failed unexpectedly (a bug, storage down): 500, with what was thrown. */
	async failed(e: unknown, deliveryId: string | null): Promise<void> {
		await recordDelivery(
			this.db,
			this.row({
				deliveryId,
				status: "refused",
				httpStatus: 500,
				code: "internal",
				reason: `internal: ${String(e)}`.slice(0, 500),
			}),
		);
		this.written = true;
	}

	/** The target an earlier accepted copy of this delivery went to, if any. */
	async earlier(ids: DeliveryIds): Promise<Target | undefined> {
		const row = await findAccepted(this.db, this.trigger.key, ids.dedupeKey);
		return row ? { processId: row.processId, taskId: row.taskId } : undefined;
	}

	/**
	 * Logs the delivery as accepted, or as a duplicate when a copy was accepted first; returns the
	 * target that counts (the first copy's) and the log row id.
	 */
	async accept(
		ids: DeliveryIds,
		target: Target,
		httpStatus: number,
		reason: string | null = null,
	): Promise<{ logId: string; first: boolean; target: Target }> {
		const fields = { ...ids, httpStatus, reason, ...target };
		const row = this.row({ ...fields, status: "accepted" });
		const claimed = await claimAccepted(this.db, { ...row, status: "accepted" });
		this.written = true;
		if (claimed) return { logId: claimed, first: true, target };
		const winner = (await this.earlier(ids)) ?? target;
		const logId = await recordDelivery(
			this.db,
			this.row({ ...fields, ...winner, status: "duplicate" }),
		);
		return { logId, first: false, target: winner };
	}
}

/** A delivery refused for its size: logged without its body, which was never read. */
export async function logOversized(
	db: D1Database,
	triggerKey: string,
	headers: Record<string, string>,
	declaredSize: number,
	now: number,
): Promise<void> {
	await recordDelivery(db, {
		triggerKey,
		deliveryId: null,
		dedupeKey: null,
		receivedAt: now,
		status: "refused",
		httpStatus: 413,
		code: "payload_too_large",
		reason: "payload_too_large",
		processId: null,
		taskId: null,
		headers,
		body: null,
		bodySize: declaredSize,
		replayOf: null,
		replayedBy: null,
	});
}
