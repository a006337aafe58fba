// The page kit: what every page, work or admin, takes from the request and gives back: the
// signed-in user for the layout, the CSRF token, whether htmx asked (then a fragment answers), the
// redirect after a change, a fresh idempotency nonce for forms, and the notice after a redirect.
import type { Context } from "hono";
import { randomId } from "../../auth/csrf.ts";
import type { AppEnv } from "../context.ts";
import { type NoticeArea, noticeTextIn } from "./notices.ts";

/** What every signed-in page passes to the layout. */
export interface Chrome {
	csrfToken: string;
	user: { displayName: string; isAdmin: boolean };
}

export function chromeOf(c: Context<AppEnv>): Chrome {
	const user = c.get("user");
	return {
		csrfToken: c.var.csrfToken,
		user: { displayName: user.displayName, isAdmin: user.isAdmin },
	};
}

/**
 * True for htmx requests. Never decided on `Accept`: the SSE extension adds `text/event-stream`
 * to every request, and history restores come without `HX-Request` (they get the full page).
 */
export function isHtmx(c: Context): boolean {
	return c.req.header("HX-Request") === "true";
}

/** After a change: a 303 for a plain form post; htmx follows `HX-Redirect` to the next page. */
export function redirect(c: Context<AppEnv>, location: string): Response {
	if (isHtmx(c)) {
		c.header("HX-Redirect", location);
		return c.body(null, 204);
	}
	return c.redirect(location, 303);
}

/** A new idempotency nonce: one per rendering of a form, so a double submit applies once. */
export function newNonce(): string {
	return randomId(12);
}

/** The nonce a form sent back, when it looks like one of ours. */
export function postedNonce(body: Record<string, unknown>): string | undefined {
	const value = body._nonce;
	return typeof value === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(value) ? value : undefined;
}

/** The notice code of a redirect (`?notice=`), when it is one of `area`'s. */
export function noticeOf(c: Context, area: NoticeArea = "work"): string | undefined {
	const code = c.req.query("notice");
	return noticeTextIn(area, code) ? code : undefined;
}

/** The text of the notice of a redirect (`?notice=`), when it is one of `area`'s. */
export function noticeTextOf(c: Context, area: NoticeArea): string | undefined {
	return noticeTextIn(area, c.req.query("notice"));
}

/** Adds `notice=` to a same-site path (before its `#fragment`, given apart as `hash`). */
export function withNotice(path: string, notice: string, hash = ""): string {
	return `${path}${path.includes("?") ? "&" : "?"}notice=${encodeURIComponent(notice)}${hash}`;
}
