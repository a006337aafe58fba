// Domain errors of the engine: stable codes, and their plain-data form so they cross RPC and queues
// (classes do not survive structured clone).

export type EngineErrorCode =
	| "already_started"
	| "not_running"
	| "no_start_nodes"
	| "invalid_params"
	| "forbidden"
	| "not_found"
	| "invalid_definition"
	| "conflict"
	| "budget_exhausted"
	| "suspended";

export interface EngineErrorData {
	code: EngineErrorCode;
	message: string;
	details?: unknown;
}

/** An illegal command or an invalid definition: expected, typed, mapped once at the edge. */
export class EngineError extends Error {
	readonly code: EngineErrorCode;
	readonly details: unknown;

	constructor(code: EngineErrorCode, message: string, details?: unknown) {
		super(message);
		this.name = "EngineError";
		this.code = code;
		this.details = details;
	}
}

export function toErrorData(error: EngineError): EngineErrorData {
	const data: EngineErrorData = { code: error.code, message: error.message };
	if (error.details !== undefined) data.details = error.details;
	return data;
}

export function fromErrorData(data: EngineErrorData): EngineError {
	return new EngineError(data.code, data.message, data.details);
}

const CODES: ReadonlySet<string> = new Set<EngineErrorCode>([
	"already_started",
	"not_running",
	"no_start_nodes",
	"invalid_params",
	"forbidden",
	"not_found",
	"invalid_definition",
	"conflict",
	"budget_exhausted",
]);

/** True when `value` is EngineErrorData (e.g. read back from an RPC answer). */
export function isEngineErrorData(value: unknown): value is EngineErrorData {
	if (typeof value !== "object" || value === null) return false;
	const v = value as Record<string, unknown>;
	return typeof v.code === "string" && CODES.has(v.code) && typeof v.message === "string";
}
