// CSRF protection for every form and htmx request, in two layers:
// hono's `csrf()` refuses unsafe form-like requests whose Origin / Sec-Fetch-Site is not our own,
// and a synchronizer token (hidden `_csrf` input, or the `X-CSRF-Token` header htmx sends through
// the layout's `hx-headers:inherited`) must match the session. Requests authenticated by an API
// token carry no ambient credential and skip both; the webhooks' door has neither.
import type { Context, MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import {
	CSRF_FIELD,
	CSRF_HEADER,
	csrfTokenFor,
	isValidCsrfToken,
	randomId,
} from "../../auth/csrf.ts";
import { parseSessionKeys } from "../../auth/session.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";
import { readFormCookie, writeFormCookie } from "./cookies.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function hasBearer(c: Context): boolean {
	return /^Bearer\s/i.test(c.req.header("Authorization") ?? "");
}

/** Layer 1: the Origin / Fetch-Metadata check, for everything but token requests. */
export function originCheck(): MiddlewareHandler<AppEnv> {
	const check = csrf();
	return async (c, next) => {
		if (hasBearer(c)) return next();
		return check(c, next);
	};
}

/**
 * Layer 2: sets `c.var.csrfToken` for the templates and, on unsafe methods, refuses a request whose
 * token is missing or wrong with 403 before any handler runs. Runs after `authenticate`.
 */
export function csrfProtection(
	options: { anonymousNeedsNone?: boolean } = {},
): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		if (c.var.user?.via === "api-token") return next();
		// Signing out without a session changes nothing, so a stale page may do it without a token.
		if (options.anonymousNeedsNone && !c.var.user) return next();
		const keys = parseSessionKeys(c.env.SESSION_KEYS);
		const safe = SAFE_METHODS.has(c.req.method);
		let seed = c.var.csrfSeed;
		if (!seed) {
			// Anonymous (the sign-in form): bind the token to a random cookie of this browser.
			const form = readFormCookie(c);
			if (form) seed = `form:${form}`;
			else if (safe) {
				const fresh = randomId();
				writeFormCookie(c, fresh);
				seed = `form:${fresh}`;
			}
		}
		if (seed) c.set("csrfToken", await csrfTokenFor(keys, seed));
		if (!safe) {
			const presented = c.req.header(CSRF_HEADER) ?? (await formToken(c));
			if (!seed || !(await isValidCsrfToken(keys, seed, presented))) {
				throw new AppError(
					"forbidden",
					"This form has expired or did not come from Baton. Reload the page and try again.",
				);
			}
		}
		await next();
	};
}

async function formToken(c: Context): Promise<string | undefined> {
	const type = c.req.header("Content-Type") ?? "";
	if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
	const body = await c.req.parseBody();
	const value = body[CSRF_FIELD];
	return typeof value === "string" ? value : undefined;
}
