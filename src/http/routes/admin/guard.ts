// What every admin route shares: the gate (non-admins get 404, so nobody learns the admin pages
// exist), the page chrome, the htmx test, redirects after a change, and reading a posted form.
import type { Context, MiddlewareHandler } from "hono";
import { type Posted, postedText } from "../../../admin/draft-forms.ts";
import { hasScope } from "../../../auth/current-user.ts";
import { canManage } from "../../../auth/permissions.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";

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

export function chromeOf(c: AdminContext) {
	const user = c.get("user");
	return {
		csrfToken: c.var.csrfToken,
		user: { displayName: user.displayName, isAdmin: user.isAdmin },
	};
}

/** An htmx request (never decided on Accept: the SSE extension changes it on every request). */
export function isHtmx(c: Context): boolean {
	return c.req.header("HX-Request") === "true";
}

/** After a change: 303 for a plain form, HX-Redirect for htmx (a new page, not a fragment). */
export function seeOther(c: AdminContext, location: string): Response {
	if (isHtmx(c)) {
		c.header("HX-Redirect", location);
		return c.body(null, 204);
	}
	return c.redirect(location, 303);
}

/** The text fields of a posted form (urlencoded or multipart). */
export async function posted(c: AdminContext): Promise<Posted> {
	return postedText(await c.req.parseBody());
}

/** The admin's name as histories and drafts record it. */
export function adminName(c: AdminContext): string {
	const user = c.get("user");
	return user.displayName || user.email;
}

/** Fixed notices after a redirect: never text taken from the URL. */
const NOTICES: Record<string, string> = {
	saved: "Your change was saved.",
	published: "The workflow was published.",
	discarded: "The draft was discarded.",
	"draft-started": "A new draft was started.",
	created: "Created.",
	imported: "Imported as a draft: check the report, then publish.",
	updated: "Saved.",
	"password-set": "The password was set; the user's sessions were ended.",
	deactivated: "The user was deactivated and signed out everywhere.",
	activated: "The user can sign in again.",
	retried: "The task was given a new attempt.",
	revoked: "The task was revoked.",
	stopped: "The process was stopped.",
	assigned: "The task was reassigned.",
	"budget-raised": "The step budget was raised and the process resumed.",
	resolved: "The incident was marked resolved.",
};

export function noticeText(c: Context): string | undefined {
	const code = c.req.query("notice");
	return code ? NOTICES[code] : undefined;
}

export function withNotice(path: string, code: keyof typeof NOTICES | string, hash = ""): string {
	return `${path}${path.includes("?") ? "&" : "?"}notice=${encodeURIComponent(code)}${hash}`;
}
