// http: calls a URL with an Idempotency-Key; the response is the result. 5xx and network errors
// are retried, 4xx fail at once. Credentials are named secrets (T12), resolved only in the run.
import { z } from "zod";
import { MAX_JSON_DEPTH, tooDeep } from "../json-depth.ts";
import { defineTask, PermanentTaskError, RetryableTaskError } from "./define-task.ts";

/** The most of a response body kept in the result. */
export const MAX_BODY_CHARS = 64 * 1024;
const KEPT_HEADERS = ["content-type", "location", "etag", "retry-after"];

/** Headers that carry credentials: their value must be a named secret, never a literal (T12). */
const CREDENTIAL_HEADERS = new Set([
	"authorization",
	"proxy-authorization",
	"cookie",
	"x-api-key",
	"api-key",
	"x-auth-token",
]);

/** T12: a header whose value is a secret of the Worker, e.g. `{ "secret": "PAYMENTS_TOKEN", "prefix": "Bearer " }`. */
const secretHeader = z.strictObject({
	secret: z
		.string()
		.regex(/^[A-Z][A-Z0-9_]{0,63}$/, "a secret's name: capitals, digits, _")
		.meta({ description: "The name of a Worker secret listed in TASK_SECRETS" }),
	prefix: z
		.string()
		.max(50)
		.optional()
		.meta({ description: 'Put before the value, e.g. "Bearer "' }),
});

const headersSchema = z
	.record(z.string().max(100), z.union([z.string().max(2000), secretHeader]))
	.superRefine((headers, ctx) => {
		for (const [name, value] of Object.entries(headers)) {
			if (typeof value === "string" && CREDENTIAL_HEADERS.has(name.toLowerCase())) {
				ctx.addIssue({
					code: "custom",
					path: [name],
					message: `${name} carries a credential: name a secret instead, e.g. {"secret": "PAYMENTS_TOKEN", "prefix": "Bearer "}`,
				});
			}
		}
	});

export const http = defineTask({
	name: "http",
	title: "Call a URL",
	description: "Sends an HTTP request; the result is the status, a few headers and the body.",
	params: z.object({
		method: z
			.enum(["GET", "POST", "PUT", "PATCH", "DELETE"])
			.default("GET")
			.meta({ title: "Method" }),
		url: z.url({ protocol: /^https?$/ }).meta({ title: "URL" }),
		headers: headersSchema.optional().meta({
			title: "Headers",
			description: 'A credential is a named secret: {"secret": "NAME", "prefix": "Bearer "}',
		}),
		body: z.json().optional().meta({ title: "Body", description: "JSON sent as the request body" }),
		timeoutMs: z
			.number()
			.int()
			.min(100)
			.max(60_000)
			.default(10_000)
			.meta({ title: "Timeout (ms)" }),
	}),
	result: z.object({
		status: z.number(),
		headers: z.record(z.string(), z.string()),
		body: z.unknown(),
	}),
	async run(ctx) {
		const { method, url, headers, body, timeoutMs } = ctx.params;
		const sent: Record<string, string> = {};
		for (const [name, value] of Object.entries(headers ?? {})) {
			sent[name] =
				typeof value === "string" ? value : `${value.prefix ?? ""}${ctx.secret(value.secret)}`;
		}
		const init: RequestInit = {
			method,
			headers: { ...sent, "Idempotency-Key": ctx.idempotencyKey },
			signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
		};
		if (body !== undefined && method !== "GET") {
			init.body = JSON.stringify(body);
			(init.headers as Record<string, string>)["content-type"] ??= "application/json";
		}
		let response: Response;
		try {
			response = await ctx.fetch(url, init);
		} catch (error) {
			throw new RetryableTaskError(`${method} ${url}: ${String(error)}`, {
				code: "NETWORK",
				cause: error,
			});
		}
		const text = (await response.text()).slice(0, MAX_BODY_CHARS);
		if (response.status >= 500) {
			throw new RetryableTaskError(`${method} ${url}: HTTP ${response.status}`, {
				code: `HTTP_${response.status}`,
			});
		}
		if (response.status >= 400) {
			throw new PermanentTaskError(`${method} ${url}: HTTP ${response.status}`, {
				code: `HTTP_${response.status}`,
			});
		}
		if ((response.headers.get("content-type") ?? "").includes("json") && tooDeep(text)) {
			throw new PermanentTaskError(
				`${method} ${url}: the response is nested more than ${MAX_JSON_DEPTH} levels deep`,
				{ code: "RESPONSE_TOO_DEEP" },
			);
		}
		const kept: Record<string, string> = {};
		for (const name of KEPT_HEADERS) {
			const value = response.headers.get(name);
			if (value !== null) kept[name] = value;
		}
		return { status: response.status, headers: kept, body: parseBody(text, kept["content-type"]) };
	},
});

function parseBody(text: string, contentType: string | undefined): unknown {
	if (contentType?.includes("json")) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return text;
}
