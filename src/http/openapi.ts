// The OpenAPI 3.1 document of the JSON API and the webhook door, generated from the very zod
// schemas the handlers parse with (z.toJSONSchema; JSON Schema 2020-12 is OpenAPI 3.1's dialect).
import { z } from "zod";
import { API_SCOPES, scopeDescriptions } from "../auth/api-tokens.ts";
import { bulkOperations } from "./routes/api/bulk.ts";
import { collaborationOperations } from "./routes/api/collaboration.ts";
import { externalTaskOperations } from "./routes/api/external-tasks.ts";
import { messageOperations } from "./routes/api/messages.ts";
import type { Operation } from "./routes/api/operation.ts";
import { operationOperations } from "./routes/api/operations.ts";
import { processOperations } from "./routes/api/processes.ts";
import { apiRegistry, errorSchema, hookAcceptedSchema } from "./routes/api/schemas.ts";
import { taskOperations } from "./routes/api/tasks.ts";
import { webhookOperations } from "./routes/api/webhooks.ts";
import { workflowOperations } from "./routes/api/workflows.ts";

type JsonSchema = Record<string, unknown>;

const REF_PREFIX = "#/components/schemas/";

const hookOperation: Operation = {
	method: "post",
	path: "/hooks/{triggerKey}",
	operationId: "deliverWebhook",
	summary: "A signed delivery: starts a process, or publishes its event to the task waiting for it",
	description:
		"Authenticated by signature, not by token: Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), GitHub (X-Hub-Signature-256, X-GitHub-Delivery) or a JWT (Authorization: Bearer, with jti and body_sha256), as the trigger says. The same delivery sent again answers the same. See docs/webhooks.md.",
	tag: "Webhooks",
	scope: "read",
	pathParams: { triggerKey: "The trigger's key" },
	headers: [
		{ name: "webhook-id", description: "Standard Webhooks: the delivery id (no '.')" },
		{ name: "webhook-timestamp", description: "Standard Webhooks: Unix seconds, within 5 minutes" },
		{
			name: "webhook-signature",
			description: "Standard Webhooks: v1,<base64 HMAC-SHA256>, space-separated",
		},
		{ name: "X-Hub-Signature-256", description: "GitHub: sha256=<hex HMAC-SHA256 of the body>" },
		{ name: "X-GitHub-Delivery", description: "GitHub: the delivery id" },
	],
	body: z.json().meta({ description: "Any JSON; the trigger's mapping picks the params" }),
	responses: {
		200: { description: "A GitHub ping", schema: hookAcceptedSchema },
		202: {
			description:
				"Accepted (or a redelivery, answered like the first); an event no task waits for yet is kept (keptUntil)",
			schema: hookAcceptedSchema,
		},
		400: {
			description: "Signature headers missing or malformed, or the body is not JSON",
			schema: errorSchema,
		},
		401: { description: "The signature, timestamp or token does not verify", schema: errorSchema },
		404: {
			description: "No such trigger, a disabled one, or (to start) no published workflow",
			schema: errorSchema,
		},
		413: { description: "The body exceeds 64 KiB", schema: errorSchema },
		422: { description: "The payload does not fit the mapping", schema: errorSchema },
		429: { description: "Over the trigger's rate limit; see Retry-After", schema: errorSchema },
	},
};

/** Every operation of the API, in the document's order. */
export const apiOperations: readonly Operation[] = [
	...workflowOperations,
	...processOperations,
	...operationOperations,
	...bulkOperations,
	...taskOperations,
	...collaborationOperations,
	...messageOperations,
	...externalTaskOperations,
	...webhookOperations,
];

const SHARED = `${REF_PREFIX}__shared#/$defs/`;

/**
 * Rewrites the references zod leaves local: `#/$defs/<name>` (a schema's own definitions) by
 * `to(name)`, and `…/__shared#/$defs/<name>` (definitions shared between components) by
 * `Shared_<name>`.
 */
function rewriteRefs(value: unknown, to: (name: string) => string): unknown {
	if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, to));
	if (!value || typeof value !== "object") return value;
	return Object.fromEntries(
		Object.entries(value).map(([k, v]) => {
			if (k !== "$ref" || typeof v !== "string") return [k, rewriteRefs(v, to)];
			if (v.startsWith("#/$defs/")) return [k, to(v.slice("#/$defs/".length))];
			if (v.startsWith(SHARED)) return [k, `${REF_PREFIX}Shared_${v.slice(SHARED.length)}`];
			return [k, v];
		}),
	);
}

/**
 * A generated schema made fit for the document: no `$schema`, and its local `$defs` (recursive
 * JSON values) moved into the components as `<owner>_<name>`, since `#` is the document's root.
 */
function hoisted(schema: JsonSchema, owner: string, into: Record<string, JsonSchema>): JsonSchema {
	const { $schema: _dropped, $defs, ...rest } = schema;
	const to = (name: string) => `${REF_PREFIX}${owner}_${name}`;
	for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
		into[`${owner}_${name}`] = rewriteRefs(def, to) as JsonSchema;
	}
	return rewriteRefs(rest, to) as JsonSchema;
}

function components(): Record<string, JsonSchema> {
	const { schemas } = z.toJSONSchema(apiRegistry, {
		uri: (id) => `${REF_PREFIX}${id}`,
		io: "input",
		unrepresentable: "any",
	}) as { schemas: Record<string, JsonSchema> };
	const out: Record<string, JsonSchema> = {};
	for (const [id, schema] of Object.entries(schemas)) {
		if (id === "__shared") hoisted(schema, "Shared", out);
		else out[id] = hoisted(schema, id, out);
	}
	return out;
}

/** Inline schemas' hoisted definitions, gathered while the paths are built. */
let inlineDefs: Record<string, JsonSchema> = {};
let inlineCount = 0;

function schemaFor(schema: z.ZodType): JsonSchema {
	const named = apiRegistry.get(schema);
	if (named) return { $ref: `${REF_PREFIX}${named.id}` };
	const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
	inlineCount += 1;
	return hoisted(json, `Inline${inlineCount}`, inlineDefs);
}

function jsonContent(schema: z.ZodType) {
	return { "application/json": { schema: schemaFor(schema) } };
}

function parameters(op: Operation): JsonSchema[] {
	const out: JsonSchema[] = [];
	for (const [name, description] of Object.entries(op.pathParams ?? {})) {
		out.push({ name, in: "path", required: true, description, schema: { type: "string" } });
	}
	if (op.query) {
		const json = schemaFor(op.query) as {
			properties?: Record<string, JsonSchema>;
			required?: string[];
		};
		for (const [name, schema] of Object.entries(json.properties ?? {})) {
			const { description, ...rest } = schema;
			out.push({
				name,
				in: "query",
				required: (json.required ?? []).includes(name) && rest.default === undefined,
				...(description ? { description } : {}),
				schema: rest,
			});
		}
	}
	for (const header of op.headers ?? []) {
		out.push({
			name: header.name,
			in: "header",
			required: false,
			description: header.description,
			schema: { type: "string" },
		});
	}
	return out;
}

const COMMON_ERRORS: Record<string, string> = {
	400: "invalid_request: a malformed query, header or JSON body",
	401: "unauthorized: no valid API token or session",
	403: "forbidden: the token lacks the scope, or you lack the right",
	429: "rate_limited: over the per-token limit; see Retry-After",
};

function responses(op: Operation, isHook: boolean): Record<string, JsonSchema> {
	const out: Record<string, JsonSchema> = {};
	for (const [status, r] of Object.entries(op.responses)) {
		out[status] = r.schema
			? { description: r.description, content: jsonContent(r.schema) }
			: { description: r.description };
	}
	if (isHook) return out;
	for (const [status, description] of Object.entries(COMMON_ERRORS)) {
		out[status] ??= { description, content: jsonContent(errorSchema) };
	}
	if (op.body) {
		out[413] ??= {
			description: "payload_too_large: the body exceeds 64 KiB",
			content: jsonContent(errorSchema),
		};
	}
	return out;
}

function operationObject(op: Operation, isHook = false): JsonSchema {
	const params = parameters(op);
	return {
		operationId: op.operationId,
		summary: op.summary,
		...(op.description ? { description: op.description } : {}),
		tags: [op.tag],
		...(params.length > 0 ? { parameters: params } : {}),
		...(op.body ? { requestBody: { required: true, content: jsonContent(op.body) } } : {}),
		responses: responses(op, isHook),
		...(isHook ? { security: [] } : { "x-required-scope": op.scope }),
	};
}

/** The whole document; `origin` becomes the server URL. */
export function openApiDocument(origin?: string): JsonSchema {
	inlineDefs = {};
	inlineCount = 0;
	const paths: Record<string, Record<string, JsonSchema>> = {};
	for (const op of apiOperations) {
		paths[op.path] ??= {};
		(paths[op.path] as Record<string, JsonSchema>)[op.method] = operationObject(op);
	}
	paths[hookOperation.path] = { post: operationObject(hookOperation, true) };
	return {
		openapi: "3.1.0",
		info: {
			title: "Baton API",
			version: "1",
			description:
				"Workflows, processes and tasks of Baton, and its webhook door. Errors are always { code, message, details }. Authenticate with an API token (Authorization: Bearer baton_…) or the session cookie (then send X-CSRF-Token on writes).",
		},
		...(origin ? { servers: [{ url: origin }] } : {}),
		tags: [
			{ name: "Workflows", description: "Definitions and their published versions" },
			{ name: "Processes", description: "Running workflows" },
			{
				name: "Operations",
				description: "Administrators' acts on running processes (O1–O3) and the audit log",
			},
			{ name: "Tasks", description: "Your work" },
			{
				name: "Working together",
				description: "Handing tasks on, comments with mentions, attached files",
			},
			{ name: "Messages", description: "Messages to waiting tasks and message starts" },
			{
				name: "External tasks",
				description: "Workers outside Baton fetch, lock and finish tasks of external types",
			},
			{ name: "Webhooks", description: "Triggers, their delivery log, and the door itself" },
		],
		security: [{ apiToken: [] }, { session: [] }],
		paths,
		components: {
			schemas: { ...components(), ...inlineDefs },
			securitySchemes: {
				apiToken: {
					type: "http",
					scheme: "bearer",
					description: `An API token from /account. Scopes: ${API_SCOPES.map((s) => `${s} (${scopeDescriptions[s]})`).join("; ")}.`,
				},
				session: { type: "apiKey", in: "cookie", name: "baton_session" },
			},
		},
	};
}
