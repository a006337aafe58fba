// Standard Webhooks (standardwebhooks.com): HMAC-SHA256 over "{id}.{timestamp}.{raw body}" with a
// `whsec_` secret, `webhook-signature: v1,<base64>` (several, space-separated, while keys rotate), a
// five-minute timestamp window, and the id as the delivery id. Only `v1` (HMAC) is trusted here.
import { concatBytes, fromBase64, signHmac, toBase64, utf8, verifyHmac } from "./bytes.ts";
import { DELIVERY_ID_RE, refuse, TOLERANCE_SECONDS, type Verdict } from "./verdict.ts";

export const STANDARD_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

const SECRET_PREFIX = "whsec_";
const MAX_SIGNATURES = 10;

/** The key bytes of a `whsec_<base64>` secret of 24–64 bytes; null when it is not one. */
export function parseStandardSecret(secret: string): Uint8Array | null {
	if (!secret.startsWith(SECRET_PREFIX)) return null;
	const bytes = fromBase64(secret.slice(SECRET_PREFIX.length));
	return bytes && bytes.length >= 24 && bytes.length <= 64 ? bytes : null;
}

/** A fresh secret: `whsec_` + 32 random bytes, base64. */
export function generateStandardSecret(): string {
	return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

function signedContent(id: string, timestamp: string, body: Uint8Array): Uint8Array {
	return concatBytes(utf8(`${id}.${timestamp}.`), body);
}

/** The `webhook-signature` value a sender computes (for tests, docs and the admin's curl example). */
export async function signStandard(
	secret: string,
	id: string,
	timestamp: number | string,
	body: Uint8Array,
): Promise<string> {
	const key = parseStandardSecret(secret);
	if (!key) throw new Error("not a whsec_ secret");
	return `v1,${toBase64(await signHmac(key, signedContent(id, String(timestamp), body)))}`;
}

/**
 * Checks a delivery: the three headers, the timestamp within five minutes of `now` (either way),
 * then any `v1` signature against any of the live secrets (rotation: two at once).
 */
export async function verifyStandard(input: {
	headers: Record<string, string | undefined>;
	body: Uint8Array;
	secrets: readonly string[];
	now: number;
}): Promise<Verdict> {
	const id = input.headers["webhook-id"];
	const timestamp = input.headers["webhook-timestamp"];
	const signature = input.headers["webhook-signature"];
	if (!id || !timestamp || !signature) {
		return refuse("missing_headers", `Send ${STANDARD_HEADERS.join(", ")}.`);
	}
	if (!DELIVERY_ID_RE.test(id) || !/^[0-9]{1,12}$/.test(timestamp) || signature.length > 2048) {
		return refuse("malformed_headers", "webhook-id or webhook-timestamp is malformed.");
	}
	const nowSeconds = Math.floor(input.now / 1000);
	const sent = Number(timestamp);
	if (sent < nowSeconds - TOLERANCE_SECONDS) {
		return refuse("timestamp_too_old", "webhook-timestamp is more than 5 minutes old.");
	}
	if (sent > nowSeconds + TOLERANCE_SECONDS) {
		return refuse("timestamp_in_future", "webhook-timestamp is more than 5 minutes ahead.");
	}
	const candidates = signature
		.split(" ")
		.filter((s) => s.startsWith("v1,"))
		.slice(0, MAX_SIGNATURES)
		.map((s) => fromBase64(s.slice(3)))
		.filter((s): s is Uint8Array => s !== null && s.length === 32);
	const keys = input.secrets.map(parseStandardSecret).filter((k): k is Uint8Array => k !== null);
	if (keys.length === 0) return refuse("no_secret", "The trigger has no live secret.");
	const content = signedContent(id, timestamp, input.body);
	for (const key of keys) {
		for (const candidate of candidates) {
			if (await verifyHmac(key, candidate, content)) {
				return { ok: true, deliveryId: id, dedupeKey: id };
			}
		}
	}
	return refuse("bad_signature", "No signature matches.");
}
