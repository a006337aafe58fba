// What the admin routes add to the page kit (view-models/page-context.ts): the gate (non-admins get
// 404, so nobody learns the admin pages exist), reading a posted form, and the admin area's notices.
import type { Context, MiddlewareHandler } from "hono";
import { type Posted, postedText } from "../../../admin/draft-forms.ts";
import { hasScope } from "../../../auth/current-user.ts";
import { canManage } from "../../../auth/permissions.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { noticeTextOf } from "../../view-models/page-context.ts";

export type AdminContext = Context<AppEnv>;

/**
 * Admins only. Everyone else gets 404 on every admin page and action, GET or POST (docs/people.md:
 * a failed "see" check answers 404); an API token needs the admin scope too.
 */
export const adminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
	const user = c.get("user");
	if (!user || !canManage(user) || !hasScope(user, "admin")) {
		throw new AppError("not_found", "There is no such page.");
	}
	await next();
};

/** The text fields of a posted form (urlencoded or multipart). */
export async function posted(c: AdminContext): Promise<Posted> {
	return postedText(await c.req.parseBody());
}

/** The admin's name as histories and drafts record it. */
export function adminName(c: AdminContext): string {
	const user = c.get("user");
	return user.displayName || user.email;
}

/** The text of the admin notice of a redirect (`?notice=`), when it is one of ours. */
export function noticeText(c: Context): string | undefined {
	return noticeTextOf(c, "admin");
}
