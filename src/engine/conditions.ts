// Transition conditions (R1): empty, a literal compared with the parent's result, or a FEEL
// expression (`= …`) evaluated by feelin, an interpreter that uses no eval and no Function.
import { evaluate, FeelFunction } from "feelin";
import { namesAreContextFree, namesBeyond } from "./feel-names.ts";
import type { Condition } from "./model.ts";

/** The data a condition sees; `variables` (R5) are the process variables it may name directly. */
export interface ConditionScope {
	result: unknown;
	params: Record<string, unknown>;
	process: Record<string, unknown>;
	variables?: Record<string, unknown>;
}

const RESERVED: ReadonlySet<string> = new Set(["result", "params", "process"]);

export type CompiledCondition =
	| { kind: "always" }
	| { kind: "literal"; value: string | number | boolean }
	| { kind: "feel"; source: string; expression: string };

/** Parses a condition; a FEEL syntax error comes back as a message (D2), never a throw. */
export function compileCondition(
	condition: Condition | undefined,
): { ok: true; condition: CompiledCondition } | { ok: false; message: string } {
	if (condition === undefined || condition === "")
		return { ok: true, condition: { kind: "always" } };
	if (typeof condition === "string" && condition.trimStart().startsWith("=")) {
		const expression = condition.trimStart().slice(1).trim();
		if (expression === "") return { ok: false, message: "the expression after = is empty" };
		const syntax = checkFeelSyntax(expression);
		if (syntax !== null) return { ok: false, message: syntax };
		return { ok: true, condition: { kind: "feel", source: condition, expression } };
	}
	return { ok: true, condition: { kind: "literal", value: condition } };
}

function checkFeelSyntax(expression: string): string | null {
	try {
		evaluate(expression, {});
		return null;
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return `FEEL expression does not parse: ${message}`;
	}
}

/**
 * R1: a literal matches a result that equals it as text ("4" matches 4, true matches "true");
 * an expression is true only when it evaluates to exactly `true` (errors and null are false).
 */
export function evaluateCondition(condition: CompiledCondition, scope: ConditionScope): boolean {
	switch (condition.kind) {
		case "always":
			return true;
		case "literal":
			return literalMatches(condition.value, scope.result);
		case "feel":
			return evaluateFeel(condition.expression, scope) === true;
	}
}

/** R1: literal equality, strings compared as text, numbers and booleans by value. */
export function literalMatches(literal: string | number | boolean, result: unknown): boolean {
	if (result === literal) return true;
	if (typeof result === "string" || typeof result === "number" || typeof result === "boolean") {
		return String(result) === String(literal);
	}
	return false;
}

function evaluateFeel(expression: string, scope: ConditionScope): unknown {
	try {
		// R5: names beyond result, params and process are process variables; reserved names win.
		const others = namesBeyond(expression, RESERVED);
		if (others.length > 0 && scope.variables) {
			const variables = scope.variables;
			const context: Record<string, unknown> = {};
			for (const name of others)
				if (Object.hasOwn(variables, name)) context[name] = variables[name];
			return evaluate(expression, {
				...context,
				result: scope.result,
				params: scope.params,
				process: scope.process,
			}).value;
		}
		if (namesAreContextFree([scope.result, scope.params, scope.process])) {
			const compiled = compiledFeel(expression);
			if (compiled !== null) return compiled.invoke([scope.result, scope.params, scope.process]);
		}
		return evaluate(expression, {
			result: scope.result,
			params: scope.params,
			process: scope.process,
		}).value;
	} catch {
		return null;
	}
}

/*
 * feelin parses an expression anew on each `evaluate` (most of the engine's time on a workflow with
 * FEEL conditions). Wrapping the expression once as `function(result, params, process) …` gives a
 * FEEL function whose parse is kept and that is invoked with each scope. The parse depends on the
 * context only through names that are not plain identifiers (`first name`, `collect-papers`), which
 * feelin recognises from the context's keys; scopes holding such a key take the uncached path.
 */
const feelFunctions = new Map<string, FeelFunction | null>();
const FEEL_CACHE_LIMIT = 2_000;

function compiledFeel(expression: string): FeelFunction | null {
	let compiled = feelFunctions.get(expression);
	if (compiled === undefined) {
		if (feelFunctions.size >= FEEL_CACHE_LIMIT) feelFunctions.clear();
		const value = evaluate(`function(result, params, process) ${expression}`, {}).value;
		compiled = value instanceof FeelFunction ? value : null;
		feelFunctions.set(expression, compiled);
	}
	return compiled;
}
