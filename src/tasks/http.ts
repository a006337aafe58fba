// http: calls a URL with an Idempotency-Key; the response is the result. 5xx and network errors
// are retried, 4xx fail at once.
import { z } from "zod";
import { defineTask, PermanentTaskError, RetryableTaskError } from "./define-task.ts";

/** The most of a response body kept in the result. */
export const MAX_BODY_CHARS = 64 * 1024;
const KEPT_HEADERS = ["content-type", "location", "etag", "retry-after"];

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
		headers: z
			.record(z.string().max(100), z.string().max(2000))
			.optional()
			.meta({ title: "Headers" }),
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
		const init: RequestInit = {
			method,
			headers: { ...(headers ?? {}), "Idempotency-Key": ctx.idempotencyKey },
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
