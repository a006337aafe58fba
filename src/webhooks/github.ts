// GitHub-style deliveries: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` under a
// shared text secret, and `X-GitHub-Delivery`. GitHub signs no timestamp and not the delivery id,
// so a captured delivery could be resent under a new id: it is de-duplicated on the SHA-256 of its
// body instead, which the signature covers (docs/webhooks.md).
import { fromHex, sha256Hex, signHmac, toHex, utf8, verifyHmac } from "./bytes.ts";
import { DELIVERY_ID_RE, refuse, type Verdict } from "./verdict.ts";

export const GITHUB_HEADERS = ["x-hub-signature-256", "x-github-delivery"] as const;

/** A GitHub secret is text you paste into GitHub; at least 16 characters. */
export function isGithubSecret(secret: string): boolean {
	return secret.length >= 16 && secret.length <= 256 && !/\s/.test(secret);
}

export function generateGithubSecret(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(32));
	return toHex(bytes);
}

export async function signGithub(secret: string, body: Uint8Array): Promise<string> {
	return `sha256=${toHex(await signHmac(utf8(secret), body))}`;
}

export async function verifyGithub(input: {
	headers: Record<string, string | undefined>;
	body: Uint8Array;
	secrets: readonly string[];
}): Promise<Verdict> {
	const signature = input.headers["x-hub-signature-256"];
	const delivery = input.headers["x-github-delivery"];
	if (!signature || !delivery)
		return refuse("missing_headers", `Send ${GITHUB_HEADERS.join(", ")}.`);
	const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(signature)?.[1];
	if (!hex || !DELIVERY_ID_RE.test(delivery)) {
		return refuse("malformed_headers", "X-Hub-Signature-256 or X-GitHub-Delivery is malformed.");
	}
	const secrets = input.secrets.filter(isGithubSecret);
	if (secrets.length === 0) return refuse("no_secret", "The trigger has no live secret.");
	const candidate = fromHex(hex) as Uint8Array;
	for (const secret of secrets) {
		if (await verifyHmac(utf8(secret), candidate, input.body)) {
			return { ok: true, deliveryId: delivery, dedupeKey: `sha256:${await sha256Hex(input.body)}` };
		}
	}
	return refuse("bad_signature", "The signature does not match.");
}
