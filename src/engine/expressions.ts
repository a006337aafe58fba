// FEEL expressions in params and node settings (`= …`): correlation keys, timer dates, due dates,
// message payloads, multi-instance collections and completion conditions. Unlike a condition
// (R1), an expression yields a value; an error comes back as data, never a throw.
import { evaluate } from "feelin";

/** True for text the engine evaluates as FEEL: it starts with `=`. */
export function isExpression(value: unknown): value is string {
	return typeof value === "string" && value.trimStart().startsWith("=");
}

/** The expression without its leading `=` (text without one is taken whole). */
export function expressionBody(source: string): string {
	const trimmed = source.trim();
	return trimmed.startsWith("=") ? trimmed.slice(1).trim() : trimmed;
}

export type ExpressionResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Evaluates `source` over `scope`; FEEL dates and durations come back as ISO text. */
export function evaluateExpression(
	source: string,
	scope: Record<string, unknown>,
): ExpressionResult {
	const body = expressionBody(source);
	if (body === "") return { ok: false, message: "the expression is empty" };
	try {
		const { value, warnings } = evaluate(body, scope);
		const failed = warnings?.find(
			(w) => w.type === "NO_VARIABLE_FOUND" || w.type === "FUNCTION_INVOCATION_FAILURE",
		);
		if (value === null && failed) return { ok: false, message: failed.message };
		return { ok: true, value: toJson(value) };
	} catch (error) {
		return { ok: false, message: error instanceof Error ? error.message : String(error) };
	}
}

/** Checks an expression's syntax (D2): null when it parses, else why not. */
export function expressionSyntaxError(source: string): string | null {
	const body = expressionBody(source);
	if (body === "") return "the expression is empty";
	try {
		evaluate(body, {});
		return null;
	} catch (error) {
		return `FEEL expression does not parse: ${error instanceof Error ? error.message : String(error)}`;
	}
}

/** FEEL values as JSON: dates, times and durations as ISO text, contexts as plain objects. */
function toJson(value: unknown): unknown {
	if (value === null || value === undefined) return null;
	if (Array.isArray(value)) return value.map(toJson);
	if (typeof value !== "object") return value;
	// feelin's dates, times and durations serialise as their ISO text.
	const toJSON = (value as { toJSON?: () => unknown }).toJSON;
	if (typeof toJSON === "function") return toJSON.call(value);
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
	return out;
}
