// What a signature check decides, shared by the three schemes: accepted with the delivery id and
// the key that de-duplicates it, or refused with a stable reason (logged, and told to the sender).

export type RefusalReason =
	| "missing_headers"
	| "malformed_headers"
	| "timestamp_too_old"
	| "timestamp_in_future"
	| "bad_signature"
	| "bad_token"
	| "token_expired"
	| "body_mismatch"
	| "no_secret";

export type Verdict =
	| {
			ok: true;
			/** The sender's delivery id, as shown in the log. */
			deliveryId: string;
			/** What makes two deliveries the same one (signed, so a replayer cannot vary it). */
			dedupeKey: string;
	  }
	| { ok: false; reason: RefusalReason; message: string };

export function refuse(reason: RefusalReason, message: string): Verdict {
	return { ok: false, reason, message };
}

/** Replay protection for schemes with a timestamp: five minutes either way (Standard Webhooks). */
export const TOLERANCE_SECONDS = 5 * 60;

/** Delivery ids become log entries and idempotency keys: short, and no "." (it separates the signed parts). */
export const DELIVERY_ID_RE = /^[A-Za-z0-9_:-]{1,128}$/;
