// Password hashing: PBKDF2-SHA-256 through WebCrypto, with a random salt per user and the iteration
// count stored beside the hash (so the cost can rise later). Decides nothing about who may sign in.
import { weakPasswordProblem } from "./password-strength.ts";

/**
 * Workers' WebCrypto refuses PBKDF2 above 100,000 iterations
 * (https://developers.cloudflare.com/workers/runtime-apis/web-crypto/#supported-algorithms),
 * so this is the highest cost the platform allows.
 */
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
/** Longer inputs are refused before hashing: PBKDF2 time grows with the password's length. */
export const MAX_PASSWORD_LENGTH = 1024;
export const MIN_PASSWORD_LENGTH = 10;

export interface PasswordHash {
	/** base64 */
	hash: string;
	/** base64 */
	salt: string;
	iterations: number;
}

const encoder = new TextEncoder();

async function derive(
	password: string,
	salt: Uint8Array<ArrayBuffer>,
	iterations: number,
): Promise<Uint8Array> {
	const material = await crypto.subtle.importKey(
		"raw",
		encoder.encode(password.normalize("NFC")),
		"PBKDF2",
		false,
		["deriveBits"],
	);
	const bits = await crypto.subtle.deriveBits(
		{ name: "PBKDF2", hash: "SHA-256", salt, iterations },
		material,
		HASH_BITS,
	);
	return new Uint8Array(bits);
}

/** Hashes a new password with a fresh random salt. */
export async function hashPassword(
	password: string,
	iterations: number = PBKDF2_ITERATIONS,
): Promise<PasswordHash> {
	const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
	const hash = await derive(password, salt, iterations);
	return { hash: toBase64(hash), salt: toBase64(salt), iterations };
}

/** True when the password matches the stored hash; the comparison takes the same time either way. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
	if (password.length > MAX_PASSWORD_LENGTH) return false;
	const expected = fromBase64(stored.hash);
	const actual = await derive(password, fromBase64(stored.salt), stored.iterations);
	return constantTimeEqual(actual, expected);
}

let dummy: Promise<PasswordHash> | undefined;

/**
 * Spends the time a real check would, for an unknown email or a user without a password, so the
 * answer's timing does not tell which emails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
	dummy ??= hashPassword("not-a-real-password");
	await verifyPassword(password, await dummy);
	return false;
}

/**
 * Why a new password is refused, or null when it is acceptable: its length, then how guessable it
 * is (src/auth/password-strength.ts; `userInputs` are the account's email and name). Every route
 * that sets a chosen password calls this; the demo seed (src/demo/seed-people.ts) does not.
 */
export function passwordProblem(password: string, userInputs: string[] = []): string | null {
	if (password.length < MIN_PASSWORD_LENGTH) {
		return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
	}
	if (password.length > MAX_PASSWORD_LENGTH) {
		return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
	}
	return weakPasswordProblem(password, userInputs);
}

/** Compares two byte strings in time that depends on their length only. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
	let diff = a.length ^ b.length;
	const n = Math.max(a.length, b.length);
	for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
	return diff === 0;
}

export function toBase64(bytes: Uint8Array): string {
	let s = "";
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
	const s = atob(text);
	const out = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
	return out;
}
