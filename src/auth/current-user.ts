// Who is making the request, as the authentication middleware established it from D1 on this very
// request: the user, their roles and grants, and how they authenticated (with a token's scopes).
import type { Actor } from "../engine/index.ts";
import type { ApiScope } from "./api-tokens.ts";

export const PERMISSIONS = [
	"workflow.start",
	"process.see_all",
	"process.stop",
	"task.reassign",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** A grant held by the user directly or through one of their roles; scope "*" means every workflow. */
export interface Grant {
	permission: Permission;
	scope: string;
}

/** `operation`: a bulk operation acting, later, for the administrator who started it. */
export type AuthMethod = "session" | "access" | "api-token" | "operation";

export interface CurrentUser {
	id: string;
	email: string;
	displayName: string;
	isAdmin: boolean;
	/** Role keys, as of this request. */
	roles: readonly string[];
	grants: readonly Grant[];
	via: AuthMethod;
	/** Only for API tokens: what the token may do; the user's own rights still apply. */
	scopes?: readonly ApiScope[];
	/** Only for API tokens: the external task types the token may serve (K1). */
	externalTaskTypes?: readonly string[];
}

export function isPermission(value: string): value is Permission {
	return (PERMISSIONS as readonly string[]).includes(value);
}

/** The actor that commands to a ProcessObject carry (the engine checks T4 with it). */
export function toActor(user: CurrentUser): Actor {
	return {
		id: user.id,
		name: user.displayName,
		roles: [...user.roles],
		isAdmin: user.isAdmin && hasScope(user, "admin"),
	};
}

/** Interactive sign-ins carry every scope; a token only those it was created with. */
export function hasScope(user: CurrentUser, scope: ApiScope): boolean {
	return user.scopes === undefined || user.scopes.includes(scope);
}
