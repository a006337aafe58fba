// API tokens for scripts and the JSON API: their format, how they are hashed for storage, and which
// scope a request needs. Storage is in credential-store.ts; who the token's user is, in the middleware.
import { base64Url } from "./csrf.ts";

/** What a token may do; a token never does more than its user may (permissions.ts). */
export const API_SCOPES = [
	"read",
	"tasks:write",
	"processes:write",
	"messages:publish",
	"admin",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const scopeDescriptions: Record<ApiScope, string> = {
	read: "Read workflows, processes and tasks you can see",
	"tasks:write": "Claim tasks and submit their values",
	"processes:write": "Start and stop processes",
	"messages:publish": "Publish messages to waiting tasks and message starts (admins only)",
	admin: "Everything else an admin may change (definitions, people, webhooks)",
};

export function isApiScope(value: string): value is ApiScope {
	return (API_SCOPES as readonly string[]).includes(value);
}

const TOKEN_RE = /^baton_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedToken {
	/** The public id, also the row key. */
	id: string;
	/** The whole token, shown to its owner once. */
	token: string;
	/** SHA-256 of the secret part, the only thing stored. */
	secretHash: string;
}

/** A new token: `baton_<16 hex id>_<43 chars of base64url secret>` (256 bits of secret). */
export async function generateApiToken(): Promise<GeneratedToken> {
	const idBytes = crypto.getRandomValues(new Uint8Array(8));
	const id = [...idBytes].map((b) => b.toString(16).padStart(2, "0")).join("");
	const secret = base64Url(crypto.getRandomValues(new Uint8Array(32)));
	return { id, token: `baton_${id}_${secret}`, secretHash: await hashSecret(secret) };
}

/** Splits a presented token, or null when it is not one of ours. */
export function parseApiToken(token: string): { id: string; secret: string } | null {
	const match = TOKEN_RE.exec(token);
	return match ? { id: match[1] as string, secret: match[2] as string } : null;
}

/** SHA-256, hex. A token's secret is random and long, so a fast hash is enough. */
export async function hashSecret(secret: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
