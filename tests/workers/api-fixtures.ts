// Helpers for the JSON API tests: users with API tokens of chosen scopes, and JSON requests.
import { env, exports } from "cloudflare:workers";
import { API_SCOPES, type ApiScope } from "../../src/auth/api-tokens.ts";
import { createApiToken } from "../../src/auth/credential-store.ts";
import type { Permission } from "../../src/auth/current-user.ts";
import { grantPermission } from "../../src/db/people.ts";
import { makeUser, ORIGIN } from "./auth-fixtures.ts";

export const ALL_SCOPES: ApiScope[] = [...API_SCOPES];

export interface ApiUser {
	id: string;
	token: string;
}

/** A user (admin, in roles, with grants) and an API token with `scopes`. */
export async function apiUser(
	options: {
		roles?: string[];
		isAdmin?: boolean;
		scopes?: ApiScope[];
		grants?: { permission: Permission; scope: string }[];
	} = {},
): Promise<ApiUser> {
	const user = await makeUser({
		...(options.roles ? { roles: options.roles } : {}),
		isAdmin: options.isAdmin ?? false,
	});
	for (const grant of options.grants ?? []) {
		await grantPermission(env.DB, {
			subjectKind: "user",
			subjectId: user.id,
			...grant,
			now: Date.now(),
		});
	}
	const { token } = await createApiToken(env.DB, {
		userId: user.id,
		name: "test",
		scopes:
			options.scopes ?? (options.isAdmin ? ALL_SCOPES : ["read", "tasks:write", "processes:write"]),
		expiresAt: null,
		now: Date.now(),
	});
	return { id: user.id, token };
}

export interface Call {
	method?: string;
	body?: unknown;
	headers?: Record<string, string>;
}

export function call(who: ApiUser | null, path: string, init: Call = {}): Promise<Response> {
	const headers: Record<string, string> = { ...init.headers };
	if (who) headers.Authorization = `Bearer ${who.token}`;
	let body: string | undefined;
	if (init.body !== undefined) {
		headers["Content-Type"] ??= "application/json";
		body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
	}
	return exports.default.fetch(
		new Request(`${ORIGIN}${path}`, {
			method: init.method ?? (body === undefined ? "GET" : "POST"),
			headers,
			...(body === undefined ? {} : { body }),
		}),
	);
}

/** Calls and reads the JSON answer with its status. */
export async function json<T = Record<string, unknown>>(
	who: ApiUser | null,
	path: string,
	init: Call = {},
): Promise<{ status: number; body: T; headers: Headers }> {
	const res = await call(who, path, init);
	const text = await res.text();
	return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}
