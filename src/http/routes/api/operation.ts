// One API operation as the OpenAPI document describes it: method, path, what it reads and what it
// answers, as zod schemas. Route modules declare theirs next to their handlers; openapi.ts collects.
import type { z } from "zod";
import type { ApiScope } from "../../../auth/api-tokens.ts";

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

export function defineOperations(ops: Operation[]): Operation[] {
	return ops;
}
