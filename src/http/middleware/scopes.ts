// The API token scope a request needs is the one its operation declares (routes/api/*.ts): the
// same table the OpenAPI document is made from, so what is documented is what is enforced, and a
// test checks every operation. Sessions have every scope; a token's user never gains rights.
import type { MiddlewareHandler } from "hono";
import type { ApiScope } from "../../auth/api-tokens.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv } from "../context.ts";
import type { Operation } from "../routes/api/operation.ts";

interface Compiled {
	method: string;
	pattern: RegExp;
	scope: ApiScope;
}

/** Process and task ids hold "/" (a subprocess: `p-…/t1/p1`); every other parameter is one segment. */
const MULTI_SEGMENT = new Set(["processId", "taskId"]);

/** `/api/v1/tasks/{taskId}/values` → the pattern of the paths it answers. */
function compile(op: Operation): Compiled {
	const source = op.path
		.split(/(\{[^}]+\})/)
		.map((part) => {
			const param = /^\{([^}]+)\}$/.exec(part)?.[1];
			if (param === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
			return MULTI_SEGMENT.has(param) ? "[^/]+(?:/[^/]+)*?" : "[^/]+";
		})
		.join("");
	return { method: op.method.toUpperCase(), pattern: new RegExp(`^${source}$`), scope: op.scope };
}

/** The operation a request is, by method and path, or undefined (the routes answer it: 404). */
export function scopeFor(
	operations: readonly Operation[],
): (method: string, path: string) => ApiScope | undefined {
	const compiled = operations.map(compile);
	return (method, path) => {
		const m = method === "HEAD" ? "GET" : method;
		return compiled.find((op) => op.method === m && op.pattern.test(path))?.scope;
	};
}

/** Refuses (403) a token that lacks the scope its request's operation declares. */
export function operationScopes(operations: readonly Operation[]): MiddlewareHandler<AppEnv> {
	const needed = scopeFor(operations);
	return async (c, next) => {
		const user = c.var.user;
		if (user?.via === "api-token") {
			const scope = needed(c.req.method, decodeURIComponent(c.req.path)) ?? "read";
			if (!(user.scopes ?? []).includes(scope)) {
				throw new AppError("forbidden", `This API token lacks the "${scope}" scope.`, {
					needed: scope,
				});
			}
		}
		await next();
	};
}
