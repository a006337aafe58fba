// Route-level guards on top of authentication. Object-level checks (this task, this process) are
// the helpers of src/auth/permissions.ts, called by the routes that load the object.
import type { Context, MiddlewareHandler } from "hono";
import type { CurrentUser } from "../../auth/current-user.ts";
import { canManage } from "../../auth/permissions.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";

/** The signed-in user; throws 401 on a public route reached anonymously. */
export function requireUser(c: Context<AppEnv>): CurrentUser {
	const user = c.get("user") as CurrentUser | undefined;
	if (!user) throw new AppError("unauthorized", "Please sign in.");
	return user;
}

/** Admin pages and admin API: 403 for everyone else. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
	if (!canManage(requireUser(c))) {
		throw new AppError("forbidden", "Only administrators may do this.");
	}
	await next();
};
