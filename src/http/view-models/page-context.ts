// What every work page takes from the request: the signed-in user for the layout, the CSRF token,
// whether htmx asked (then a fragment answers), a fresh idempotency nonce for forms, and the notice
// code after a redirect.
import type { Context } from "hono";
import { randomId } from "../../auth/csrf.ts";
import type { AppEnv } from "../context.ts";

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

/** A new idempotency nonce: one per rendering of a form, so a double submit applies once. */
export function newNonce(): string {
	return randomId(12);
}

/** The nonce a form sent back, when it looks like one of ours. */
export function postedNonce(body: Record<string, unknown>): string | undefined {
	const value = body._nonce;
	return typeof value === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(value) ? value : undefined;
}

const NOTICE_CODES = new Set(["submitted", "claimed", "started", "stopped", "retried", "revoked"]);

/** The notice code of a redirect (`?notice=`), when it is one of ours. */
export function noticeOf(c: Context): string | undefined {
	const code = c.req.query("notice");
	return code && NOTICE_CODES.has(code) ? code : undefined;
}

/** Adds `notice=` to a same-site path. */
export function withNotice(path: string, notice: string): string {
	return `${path}${path.includes("?") ? "&" : "?"}notice=${notice}`;
}
