// Synchronizer tokens against cross-site request forgery: an HMAC of a per-session seed under the
// session key, sent back in a hidden `_csrf` input or the `X-CSRF-Token` header. Stateless: nothing is
// stored, a token is valid as long as its seed (the session) and its key are.
import { constantTimeEqual } from "./password.ts";
import type { SessionKey } from "./session.ts";

export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

const encoder = new TextEncoder();
const macKeys = new Map<string, Promise<CryptoKey>>();

function macKey(key: SessionKey): Promise<CryptoKey> {
	let cached = macKeys.get(key.secret);
	if (!cached) {
		cached = crypto.subtle.importKey(
			"raw",
			encoder.encode(`baton-csrf:${key.secret}`),
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["sign"],
		);
		macKeys.set(key.secret, cached);
	}
	return cached;
}

async function mac(key: SessionKey, seed: string): Promise<string> {
	const sig = await crypto.subtle.sign("HMAC", await macKey(key), encoder.encode(seed));
	return base64Url(new Uint8Array(sig));
}

/** The token for a seed (a session id, or the anonymous form cookie), made with the first key. */
export async function csrfTokenFor(keys: readonly SessionKey[], seed: string): Promise<string> {
	const key = keys[0];
	if (!key) throw new Error("No session key for CSRF tokens.");
	return `${key.kid}.${await mac(key, seed)}`;
}

/** True when the token was made for this seed by one of the current keys. */
export async function isValidCsrfToken(
	keys: readonly SessionKey[],
	seed: string,
	token: string | undefined,
): Promise<boolean> {
	if (!token || token.length > 256) return false;
	const dot = token.indexOf(".");
	const key = keys.find((k) => k.kid === token.slice(0, dot));
	if (dot < 1 || !key) return false;
	const expected = encoder.encode(await mac(key, seed));
	return constantTimeEqual(encoder.encode(token.slice(dot + 1)), expected);
}

export function base64Url(bytes: Uint8Array): string {
	let s = "";
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A random identifier of `bytes` bytes, base64url. */
export function randomId(bytes = 16): string {
	return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}
