// How deep JSON may nest, checked on the raw text before anything parses it. JSON.parse itself
// copes with deep input, but everything after it recurses (zod, the webhook mapping, structured
// clone into the ProcessObject, JSON.stringify of the state): 2,000 levels overflowed zod's stack,
// and a process holding 2,500 levels could no longer be read. One linear scan, no recursion.
//
// Sizes are capped by the body limits (app.ts 256 KiB, the API and /hooks 64 KiB); this caps depth:
//  - JSON request bodies anywhere but /hooks/ (every API operation): the middleware below;
//  - JSON typed or uploaded into page forms (a field or file whose text starts with { or [, such as
//    the workflow import, node params, start params): the middleware below;
//  - webhook payloads: src/webhooks/receive.ts, after the signature, so the refusal is logged.
import type { MiddlewareHandler } from "hono";
import { MAX_JSON_DEPTH, TOO_DEEP_MESSAGE, tooDeep } from "../../json-depth.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";

/** The 422 for JSON nested too deep, in the API's issue format. */
export function tooDeepError(path = ""): AppError {
	return new AppError("invalid_params", TOO_DEEP_MESSAGE, {
		maxDepth: MAX_JSON_DEPTH,
		issues: [{ path, message: TOO_DEEP_MESSAGE }],
	});
}

const FORM = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i;
const looksLikeJson = (text: string) => /^\s*[[{]/.test(text);

/**
 * Refuses (422) a request whose JSON body, or a form field or uploaded file holding JSON, nests
 * deeper than MAX_JSON_DEPTH. Reads a clone (or hono's cached copy, once the CSRF check has read
 * the form), so the body limits and handlers after it read the request as it came. The webhooks'
 * door does not use it: the receiver checks depth after the signature and logs the refusal.
 */
export function jsonLimits(): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		const method = c.req.method;
		if (method === "GET" || method === "HEAD" || !c.req.raw.body) return next();
		const type = c.req.header("Content-Type") ?? "";
		if (FORM.test(type)) {
			let form: FormData;
			try {
				form = await (c.req.raw.bodyUsed ? c.req.formData() : c.req.raw.clone().formData());
			} catch {
				return next(); // a malformed form: the handler's own parsing answers it
			}
			for (const [name, value] of form) {
				const text = typeof value === "string" ? value : await value.text();
				if (looksLikeJson(text) && tooDeep(text)) throw tooDeepError(name);
			}
		} else {
			const text = await (c.req.raw.bodyUsed ? c.req.text() : c.req.raw.clone().text());
			if (looksLikeJson(text) && tooDeep(text)) throw tooDeepError();
		}
		return next();
	};
}
