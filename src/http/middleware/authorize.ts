// Route-level guards on top of authentication. Object-level checks (this task, this process) are
// the helpers of src/auth/permissions.ts, called by the routes that load the object.
import type { Context } from "hono";
import type { CurrentUser } from "../../auth/current-user.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";

/** The signed-in user; throws 401 on a public route reached anonymously. */
export function requireUser(c: Context<AppEnv>): CurrentUser {
	const user = c.get("user") as CurrentUser | undefined;
	if (!user) throw new AppError("unauthorized", "Please sign in.");
	return user;
}
