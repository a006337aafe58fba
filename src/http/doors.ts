// The doors into Baton, one sub-app each with the middleware its callers need, so no middleware
// tells callers apart by looking at the path:
//   pages   people in a browser: a session (or Access), CSRF, a redirect to sign in when there is none;
//   admin   the same, and 404 for anyone but an admin;
//   api     the JSON API: an API token or a session, the scope each operation declares, JSON errors;
//   hooks   signed webhook deliveries: no session, no CSRF, the signature is the credential.
// Hono runs a sub-app's middleware for the requests its routes answer and for any request that
// reaches it unanswered; app.ts mounts the doors with their own path prefixes and the pages last,
// at "/", so a request another door answered never passes through the pages' middleware.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createFactory } from "hono/factory";
import { AppError } from "../errors.ts";
import type { AppEnv, Door } from "./context.ts";
import { authenticate } from "./middleware/authenticate.ts";
import { csrfProtection, originCheck } from "./middleware/csrf.ts";
import { jsonLimits } from "./middleware/json-limits.ts";
import { operationScopes } from "./middleware/scopes.ts";
import { adminOnly } from "./routes/admin/guard.ts";
import type { Operation } from "./routes/api/operation.ts";

const factory = createFactory<AppEnv>();

/** Requests larger than this are refused with 413 before any handler reads them (pages, admin). */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * A page's multipart form may carry files (comments, a task's file fields): each is checked
 * against its own limit (src/attachments/limits.ts), with room for a few of them.
 */
export const MAX_UPLOAD_BODY_BYTES = 25 * 1024 * 1024;

/** A door: a sub-app whose requests are marked with it before its own middleware runs. */
function door(name: Door, ...middleware: MiddlewareHandler<AppEnv>[]) {
	const app = factory.createApp();
	app.use(async (c, next) => {
		c.set("door", name);
		await next();
	});
	for (const handler of middleware) app.use(handler);
	return app;
}

/** The pages' limit: larger for multipart forms, which carry files. */
function pageBodyLimit(): MiddlewareHandler<AppEnv> {
	const forms = bodyLimitOf(MAX_BODY_BYTES);
	const uploads = bodyLimitOf(MAX_UPLOAD_BODY_BYTES);
	return (c, next) =>
		/^multipart\/form-data/i.test(c.req.header("Content-Type") ?? "")
			? uploads(c, next)
			: forms(c, next);
}

function bodyLimitOf(maxSize: number): MiddlewareHandler<AppEnv> {
	return bodyLimit({
		maxSize,
		onError: () => {
			throw new AppError("payload_too_large", `The body exceeds ${maxSize} bytes.`, {
				maxBytes: maxSize,
			});
		},
	});
}

/**
 * Pages for people. `sign-in`: the sign-in form, open to anonymous visitors (its CSRF token bound
 * to a cookie of the browser); `sign-out`: open too, and signing out with no session needs no token.
 */
export function pagesDoor(entry?: "sign-in" | "sign-out") {
	return door(
		"pages",
		pageBodyLimit(),
		originCheck(),
		authenticate({ anonymous: entry ? "allow" : "sign-in" }),
		csrfProtection({ anonymousNeedsNone: entry === "sign-out" }),
		jsonLimits(),
	);
}

export function adminDoor() {
	return door(
		"admin",
		bodyLimitOf(MAX_BODY_BYTES),
		originCheck(),
		authenticate({ anonymous: "sign-in" }),
		csrfProtection(),
		adminOnly,
		jsonLimits(),
	);
}

/** The JSON API; `operations` is the table the OpenAPI document is made from. */
export function apiDoor(operations: readonly Operation[], maxBodyBytes: number) {
	return door(
		"api",
		bodyLimitOf(maxBodyBytes),
		originCheck(),
		authenticate({ anonymous: "refuse", tokens: true }),
		csrfProtection(),
		operationScopes(operations),
		jsonLimits(),
	);
}

/** Signed deliveries: the receiver checks size, signature and depth itself, and logs each. */
export function hooksDoor() {
	return door("hooks");
}
