// FEEL expressions in params and node settings (`= …`): correlation keys, timer dates, due dates,
// message payloads, multi-instance collections and completion conditions. Unlike a condition
// (R1), an expression yields a value; an error comes back as data, never a throw.
import { evaluate, FeelFunction } from "feelin";
import { namesAreContextFree, namesBeyond, PLAIN_NAME } from "./feel-names.ts";

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
		const withVariables = scopeWithVariables(body, scope);
		if (withVariables) return evaluateIn(body, withVariables);
		const cached = invokeCached(body, scope);
		if (cached !== undefined) return cached;
		return evaluateIn(body, scope);
	} catch (error) {
		return { ok: false, message: error instanceof Error ? error.message : String(error) };
	}
}

function evaluateIn(body: string, context: Record<string, unknown>): ExpressionResult {
	const { value, warnings } = evaluate(body, context);
	const failed = warnings?.find(
		(w) => w.type === "NO_VARIABLE_FOUND" || w.type === "FUNCTION_INVOCATION_FAILURE",
	);
	if (value === null && failed) return { ok: false, message: failed.message };
	return { ok: true, value: toJson(value) };
}

/**
 * R5: a scope's `variables` (the process variables) are offered by name to an expression that
 * names any: only those it names, and the scope's own names win. Undefined when it names none.
 */
function scopeWithVariables(
	body: string,
	scope: Record<string, unknown>,
): Record<string, unknown> | undefined {
	if (!("variables" in scope)) return undefined;
	const known = new Set(Object.keys(scope));
	const others = namesBeyond(body, known);
	if (others.length === 0) return undefined;
	const variables = scope.variables as Record<string, unknown>;
	const context: Record<string, unknown> = {};
	for (const name of others) if (Object.hasOwn(variables, name)) context[name] = variables[name];
	// A scope name the expression does not mention is not built (`process` walks every task).
	for (const name of known) {
		if (name !== "variables" && body.includes(name)) context[name] = scope[name];
	}
	return context;
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

/*
 * feelin parses an expression anew on each `evaluate`, which costs far more than evaluating it (a
 * thousand instances computing a timer each would spend most of a step parsing). As conditions do,
 * the expression is wrapped once as `function(<scope names>) …` and invoked with each scope's
 * values, when every name in them is plain. A scope value the expression does not name (`process`,
 * which walks every task) is passed as null without being built.
 */
const functions = new Map<string, FeelFunction | null>();
const CACHE_LIMIT = 2_000;

function invokeCached(body: string, scope: Record<string, unknown>): ExpressionResult | undefined {
	const names = Object.keys(scope).filter((n) => n !== "variables");
	if (!names.every((n) => PLAIN_NAME.test(n))) return undefined;
	const values = names.map((n) => (body.includes(n) ? scope[n] : null));
	if (!values.every(namesAreContextFree)) return undefined;
	const key = `${names.join(",")}\u0000${body}`;
	let fn = functions.get(key);
	if (fn === undefined) {
		if (functions.size >= CACHE_LIMIT) functions.clear();
		const made = evaluate(`function(${names.join(", ")}) ${body}`, {}).value;
		fn = made instanceof FeelFunction ? made : null;
		functions.set(key, fn);
	}
	if (fn === null) return undefined;
	const value = fn.invoke(values);
	// A missing name reads as null on this path; the uncached one says which name was missing.
	if (value === null || value === undefined) return undefined;
	return { ok: true, value: toJson(value) };
}
