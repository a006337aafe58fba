// The one mapping from errors to responses: domain codes to HTTP statuses, and the
// response shape chosen by audience: JSON for the API and webhooks, a fragment for htmx, a page otherwise.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ErrorFragment, ErrorPage } from "../../templates/errors.tsx";
import { EngineError, type EngineErrorData } from "../engine/index.ts";
import { AppError, statusOf } from "../errors.ts";
import type { AppEnv } from "./context.ts";

// Adapters that already import it from here keep working; new code imports src/errors.ts.
export { AppError } from "../errors.ts";

const titleByStatus: Record<number, string> = {
	400: "Bad request",
	401: "Please sign in",
	403: "Not allowed",
	404: "Not found",
	409: "That cannot be done now",
	410: "Removed",
	413: "Too large",
	422: "Please check the values",
	429: "Too many requests",
	500: "Something went wrong",
};

export function errorData(
	err: unknown,
): { status: ContentfulStatusCode; body: EngineErrorData } | undefined {
	if (err instanceof EngineError || err instanceof AppError) {
		return {
			status: statusOf(err.code) as ContentfulStatusCode,
			body: { code: err.code, message: err.message, details: err.details } as EngineErrorData,
		};
	}
	if (err instanceof HTTPException) {
		const code =
			err.status === 401
				? "unauthorized"
				: err.status === 403
					? "forbidden"
					: err.status === 404
						? "not_found"
						: err.status === 413
							? "payload_too_large"
							: err.status === 429
								? "rate_limited"
								: "invalid_request";
		return {
			status: err.status as ContentfulStatusCode,
			body: {
				code,
				message: err.message || titleByStatus[err.status] || "Error",
			} as EngineErrorData,
		};
	}
	return undefined;
}

/** The API's and the webhooks' callers are programs: they get JSON; people get a page. */
function wantsJson(c: Context<AppEnv>): boolean {
	const door = c.var.door;
	return door === "api" || door === "hooks";
}

/** `app.onError`: every error leaves through here, once, with a request id for the log. */
export function handleError(err: unknown, c: Context<AppEnv>): Response | Promise<Response> {
	const known = errorData(err);
	const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
	const status = known?.status ?? 500;
	const body = known?.body ?? {
		code: "internal",
		message: "An unexpected error occurred. It has been logged.",
	};
	if (!known) {
		console.error(
			JSON.stringify({
				level: "error",
				requestId,
				path: c.req.path,
				error: String(err),
				stack: (err as Error)?.stack,
			}),
		);
	}
	if (wantsJson(c)) {
		return c.json(known ? body : { ...body, details: { requestId } }, status);
	}
	const view = {
		status,
		title: titleByStatus[status] ?? "Error",
		message: body.message,
		requestId: known ? undefined : requestId,
	};
	if (c.req.header("HX-Request") === "true") {
		c.header("HX-Retarget", "#flash");
		c.header("HX-Reswap", "innerHTML");
		return c.html(<ErrorFragment {...view} />, status);
	}
	return c.html(<ErrorPage {...view} />, status);
}
