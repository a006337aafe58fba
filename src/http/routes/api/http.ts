// Reading API requests at the edge: JSON bodies and query strings parsed with zod (400/422 in the
// one error format), opaque cursors, absolute URLs. The handlers receive typed values only.
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";

type Ctx = Context<AppEnv>;

function issues(error: z.ZodError) {
	return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** The body as JSON (400 when it is not), unvalidated: for definitions, which the compiler reports on. */
export async function readJson(c: Ctx): Promise<unknown> {
	const type = c.req.header("Content-Type") ?? "";
	if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
		throw new AppError("invalid_request", "Send the body as application/json.");
	}
	const text = await c.req.text();
	try {
		return JSON.parse(text);
	} catch {
		throw new AppError("invalid_request", "The body is not valid JSON.");
	}
}

/** The JSON body validated by `schema`; 422 `invalid_params` with every issue otherwise. */
export async function readBody<T extends z.ZodType>(c: Ctx, schema: T): Promise<z.infer<T>> {
	const parsed = schema.safeParse(await readJson(c));
	if (!parsed.success) {
		throw new AppError("invalid_params", "The request body is not valid.", {
			issues: issues(parsed.error),
		});
	}
	return parsed.data;
}

/** A body validated by `schema`, or `{}` when none was sent (actions with optional options). */
export async function readOptionalBody<T extends z.ZodType>(
	c: Ctx,
	schema: T,
): Promise<z.infer<T>> {
	const text = await c.req.text();
	if (text.trim() === "") return schema.parse({}) as z.infer<T>;
	return readBody(c, schema);
}

/** An optional empty body for actions (claim, stop): nothing, or `{}`. */
export async function readEmpty(c: Ctx): Promise<void> {
	const text = await c.req.text();
	if (text.trim() === "" || text.trim() === "{}") return;
	throw new AppError("invalid_params", "This action takes no body.");
}

/** The query string validated by `schema`; 400 `invalid_request` with every issue otherwise. */
export function readQuery<T extends z.ZodType>(c: Ctx, schema: T): z.infer<T> {
	const raw: Record<string, string> = {};
	for (const [key, values] of Object.entries(c.req.queries())) {
		if (values.length > 1) throw new AppError("invalid_request", `Give "${key}" once.`);
		raw[key] = values[0] ?? "";
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		throw new AppError("invalid_request", "The query is not valid.", {
			issues: issues(parsed.error),
		});
	}
	return parsed.data;
}

/** Cursors are opaque to clients: base64url of the sort key of the last item. */
export function encodeCursor(at: number, id: string): string {
	return btoa(JSON.stringify([at, id]))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

export function decodeCursor(cursor: string | undefined): { at: number; id: string } | undefined {
	if (cursor === undefined) return undefined;
	try {
		const json = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
		const [at, id] = JSON.parse(json) as unknown[];
		if (typeof at === "number" && Number.isSafeInteger(at) && typeof id === "string")
			return { at, id };
	} catch {
		// fall through to the error below
	}
	throw new AppError("invalid_request", "The cursor is not valid.");
}

export function originOf(c: Ctx): string {
	return new URL(c.req.url).origin;
}
