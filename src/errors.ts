// Errors raised outside the engine (adapters, webhooks, people) with a stable code, and the one
// table from codes to HTTP statuses. No JSX and no platform here: anything may import it. How an
// error becomes a response (JSON, an htmx fragment, a page) is src/http/errors.tsx's job.

/** A domain error raised by an adapter (not by the engine), with a stable code. */
export class AppError extends Error {
	readonly code: string;
	readonly details?: unknown;
	constructor(code: string, message: string, details?: unknown) {
		super(message);
		this.name = "AppError";
		this.code = code;
		this.details = details;
	}
}

/** The HTTP status of each stable code (engine and adapter codes alike); others answer 400. */
export const STATUS_BY_CODE = {
	not_found: 404,
	forbidden: 403,
	unauthorized: 401,
	invalid_params: 422,
	invalid_definition: 422,
	invalid_request: 400,
	already_started: 409,
	not_running: 409,
	no_start_nodes: 409,
	conflict: 409,
	gone: 410,
	budget_exhausted: 409,
	suspended: 409,
	payload_too_large: 413,
	unsupported_media_type: 415,
	rate_limited: 429,
} as const;

/** The HTTP status of a stable code (400 for a code the table does not know). */
export function statusOf(code: string): number {
	return (STATUS_BY_CODE as Record<string, number>)[code] ?? 400;
}
