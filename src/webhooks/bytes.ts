// Byte helpers for signature checks: base64 and hex in both directions, SHA-256, and joining the
// signed content, so every scheme works on the exact bytes that arrived (never re-serialized JSON).

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
	return encoder.encode(text);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

export function toBase64(bytes: Uint8Array): string {
	let s = "";
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s);
}

/** Standard or url-safe base64, padded or not; null when it is not base64. */
export function fromBase64(text: string): Uint8Array | null {
	const normal = text.replaceAll("-", "+").replaceAll("_", "/");
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normal)) return null;
	try {
		const padded = normal.padEnd(Math.ceil(normal.length / 4) * 4, "=");
		const raw = atob(padded);
		return Uint8Array.from(raw, (c) => c.charCodeAt(0));
	} catch {
		return null;
	}
}

export function toHex(bytes: Uint8Array): string {
	return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Lower- or upper-case hex of an even length; null otherwise. */
export function fromHex(text: string): Uint8Array | null {
	if (!/^([0-9a-fA-F]{2})*$/.test(text)) return null;
	const out = new Uint8Array(text.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
	return out;
}

/**
 * WebCrypto's DOM typings refuse a view that might sit on a SharedArrayBuffer; Baton's bytes come
 * from request bodies, TextEncoder and base64, never from shared memory.
 */
function plain(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	return bytes as Uint8Array<ArrayBuffer>;
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest("SHA-256", plain(bytes)));
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	return toHex(await sha256(bytes));
}

/** An HMAC-SHA256 key for verifying (and, for tests and docs, signing). */
export function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
	return crypto.subtle.importKey("raw", plain(secret), { name: "HMAC", hash: "SHA-256" }, false, [
		"sign",
		"verify",
	]);
}

/**
 * True when `signature` is the HMAC-SHA256 of `data` under `secret`. `crypto.subtle.verify`
 * compares in constant time, unlike comparing two strings.
 */
export async function verifyHmac(
	secret: Uint8Array,
	signature: Uint8Array,
	data: Uint8Array,
): Promise<boolean> {
	if (signature.length !== 32) return false;
	return crypto.subtle.verify("HMAC", await hmacKey(secret), plain(signature), plain(data));
}

export async function signHmac(secret: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), plain(data)));
}
