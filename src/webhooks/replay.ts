// Replaying a refused delivery once its cause is fixed (a secret added, the mapping corrected, the
// workflow published, the event's task now waiting): the same headers and raw body go through the
// same checks, with signatures, timestamps and secrets judged at the original arrival time, so a
// forged or stale delivery stays refused. The replay is logged as a new row pointing to the original.
import { findDelivery, findTrigger } from "../db/webhooks.ts";
import { AppError } from "../errors.ts";
import { fromBase64 } from "./bytes.ts";
import type { Accepted } from "./outcome.ts";
import { receiveDelivery } from "./receive.ts";

export async function replayDelivery(
	env: Env,
	deliveryRowId: string,
	opts: { by: string; origin: string; now: number },
): Promise<Accepted> {
	const row = await findDelivery(env.DB, deliveryRowId);
	if (!row) throw new AppError("not_found", "No such delivery.");
	if (row.status !== "refused") {
		throw new AppError("conflict", "Only a refused delivery can be replayed.", {
			status: row.status,
		});
	}
	const body = row.body === null ? null : fromBase64(row.body);
	if (!body)
		throw new AppError("conflict", "This delivery's body was not kept (it was too large).");
	const original = row.replayOf ? await findDelivery(env.DB, row.replayOf) : row;
	if (!original) throw new AppError("conflict", "The original delivery is no longer in the log.");
	const found = await findTrigger(env.DB, row.triggerKey);
	if (!found) throw new AppError("not_found", "The trigger of this delivery no longer exists.");
	return receiveDelivery(env, found, {
		headers: row.headers,
		body,
		receivedAt: opts.now,
		verifyAt: original.receivedAt,
		origin: opts.origin,
		replayOf: original.id,
		replayedBy: opts.by,
	});
}
