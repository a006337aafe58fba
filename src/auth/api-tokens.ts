// API tokens for scripts and the JSON API: their format, how they are hashed for storage, and which
// scope a request needs. Storage is in credential-store.ts; who the token's user is, in the middleware.
import { TASK_TYPE_RE } from "../external/external-task.ts";
import { base64Url } from "./csrf.ts";

/** What a token may do; a token never does more than its user may (permissions.ts). */
export const API_SCOPES = [
	"read",
	"tasks:write",
	"processes:write",
	"messages:publish",
	"external-tasks",
	"admin",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const scopeDescriptions: Record<ApiScope, string> = {
	read: "Read workflows, processes and tasks you can see",
	"tasks:write": "Claim tasks and submit their values",
	"processes:write": "Start and stop processes",
	"messages:publish": "Publish messages to waiting tasks and message starts (admins only)",
	"external-tasks":
		"Fetch, lock and finish external tasks of the task types named on the token (admins only)",
	admin: "Everything else an admin may change (definitions, people, webhooks)",
};

export function isApiScope(value: string): value is ApiScope {
	return (API_SCOPES as readonly string[]).includes(value);
}

/**
 * K1: the external task types a token may serve are stored among its scopes as `external:<type>`,
 * next to the `external-tasks` scope the operations declare: one column, read in one place.
 */
const EXTERNAL_TYPE_PREFIX = "external:";
/** A token serves at most this many external task types. */
export const MAX_TOKEN_TASK_TYPES = 20;

/** A token's stored scopes: its API scopes, then one entry per external task type. */
export function storedScopes(scopes: readonly ApiScope[], taskTypes: readonly string[]): string[] {
	return [...scopes, ...taskTypes.map((t) => `${EXTERNAL_TYPE_PREFIX}${t}`)];
}

/** What a token's stored scopes grant; an entry neither form knows grants nothing. */
export function grantsOf(stored: readonly string[]): {
	scopes: ApiScope[];
	externalTaskTypes: string[];
} {
	const taskTypes = stored
		.filter((s) => s.startsWith(EXTERNAL_TYPE_PREFIX))
		.map((s) => s.slice(EXTERNAL_TYPE_PREFIX.length))
		.filter((t) => TASK_TYPE_RE.test(t));
	return { scopes: stored.filter(isApiScope), externalTaskTypes: taskTypes };
}

/**
 * The task types typed on the account page, separated by commas or spaces: distinct, each a task
 * type's name, at most MAX_TOKEN_TASK_TYPES; else what is wrong, in a sentence.
 */
export function parseTaskTypeList(
	text: string,
): { ok: true; types: string[] } | { ok: false; message: string } {
	const types = [...new Set(text.split(/[\s,]+/).filter((t) => t !== ""))];
	const bad = types.find((t) => !TASK_TYPE_RE.test(t));
	if (bad !== undefined) {
		return { ok: false, message: `"${bad.slice(0, 70)}" is not a task type's name.` };
	}
	if (types.length > MAX_TOKEN_TASK_TYPES) {
		return { ok: false, message: `Name at most ${MAX_TOKEN_TASK_TYPES} task types.` };
	}
	return { ok: true, types };
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
