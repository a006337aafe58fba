// One API operation as the OpenAPI document describes it: method, path, what it reads and what it
// answers, as zod schemas. Route modules declare theirs next to their handlers; openapi.ts collects.
import type { z } from "zod";
import type { ApiScope } from "../../../auth/api-tokens.ts";
import { errorSchema } from "./schemas.ts";

export interface Operation {
	method: "get" | "post" | "patch" | "delete";
	/** OpenAPI path template, e.g. /api/v1/processes/{processId}. */
	path: string;
	operationId: string;
	summary: string;
	description?: string;
	tag: string;
	/** The API token scope it needs (src/auth/api-tokens.ts); sessions have every scope. */
	scope: ApiScope;
	/** Path parameters (all strings), with what each is. */
	pathParams?: Record<string, string>;
	query?: z.ZodObject;
	headers?: { name: string; description: string }[];
	body?: z.ZodType;
	/** Status ("200", "4XX") → what it means and, unless the answer is empty (204), its schema. */
	responses: Record<string, { description: string; schema?: z.ZodType }>;
}

type Response = Operation["responses"][string];

/** An answer with a body: what it means and its schema. */
export function ok(description: string, schema: z.ZodType): Response {
	return { description, schema };
}

/**
 * An operation's `responses`: a success as `ok(…)` (or `{ description }` when it is empty), an
 * error status as just what it means, answered with errorSchema.
 */
export function responses(byStatus: Record<string, Response | string>): Operation["responses"] {
	return Object.fromEntries(
		Object.entries(byStatus).map(([status, r]) => [
			status,
			typeof r === "string" ? { description: r, schema: errorSchema } : r,
		]),
	);
}

/** The 404 of what you may not see: it answers as if it did not exist. */
export function notYours(what: string): string {
	return `No such ${what}, or not yours to see`;
}

/** The 403 of an operation for administrators only. */
export const notAdmin = "Not an admin";

/** A route module's operations, each under the module's OpenAPI tag. */
export function defineOperations(tag: string, ops: Omit<Operation, "tag">[]): Operation[] {
	return ops.map((op) => ({ ...op, tag }));
}
