import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { evaluate } from "feelin";
import { describe, expect, it } from "vitest";
import { compileCondition, evaluateCondition } from "../../../src/engine/index.ts";

const scope = (
	result: unknown,
	params: Record<string, unknown> = {},
	process: Record<string, unknown> = {},
) => ({
	result,
	params,
	process,
});

function holds(
	condition: string | number | boolean | undefined,
	result: unknown,
	params = {},
	process = {},
): boolean {
	const compiled = compileCondition(condition);
	if (!compiled.ok) throw new Error(compiled.message);
	return evaluateCondition(compiled.condition, scope(result, params, process));
}

describe("conditions", () => {
	it("R1 treats an empty condition as always true", () => {
		expect(holds(undefined, "anything")).toBe(true);
		expect(holds("", null)).toBe(true);
	});

	it("R1 compares a literal with the result: strings as text, numbers and booleans by value", () => {
		expect(holds("OK", "OK")).toBe(true);
		expect(holds("OK", "ok")).toBe(false);
		expect(holds("4", 4)).toBe(true);
		expect(holds(4, "4")).toBe(true);
		expect(holds(4, 4.5)).toBe(false);
		expect(holds(true, true)).toBe(true);
		expect(holds(true, "true")).toBe(true);
		expect(holds(false, true)).toBe(false);
		expect(holds("null", null)).toBe(false);
		expect(holds("x", { x: 1 })).toBe(false);
	});

	it("R1 evaluates FEEL expressions over result, params and process", () => {
		const c = '= result.total > 1000 and params.region = "EU"';
		expect(holds(c, { total: 1500 }, { region: "EU" })).toBe(true);
		expect(holds(c, { total: 1500 }, { region: "US" })).toBe(false);
		expect(holds(c, { total: 10 }, { region: "EU" })).toBe(false);
		expect(
			holds("= process.passes.wait <= params.loops", null, { loops: 2 }, { passes: { wait: 2 } }),
		).toBe(true);
		expect(holds('= result in ["a", "b"]', "b")).toBe(true);
		expect(holds("= count(result.items) >= 2", { items: [1, 2] })).toBe(true);
	});

	it("R1 gives the same answer from the kept parse as feelin's own evaluate, for any scope", () => {
		const expressions = [
			"result > 3",
			'result = "yes" or params.flag',
			"process.passes.review <= params.loops",
			"count(process.results) >= 2 and result != null",
			"params.limit - result.total > 0",
			'process.last.review.decision = "approve"',
			"if result then params.a > 1 else false",
			"some x in process.results satisfies x = result",
		];
		// small values, so that comparisons in the expressions come out both ways
		const leaf = fc.oneof(
			fc.integer({ min: -2, max: 5 }),
			fc.boolean(),
			fc.constantFrom("yes", "approve", null),
		);
		const json = fc.oneof(
			{ weight: 4, arbitrary: leaf },
			{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
		);
		const names = fc.constantFrom("review", "flag", "loops", "a", "limit", "total", "decision");
		const record = fc.dictionary(names, json, { maxKeys: 5 });
		fc.assert(
			fc.property(
				fc.constantFrom(...expressions),
				fc.oneof(json, record),
				record,
				fc.record({ passes: record, last: record, results: fc.array(json, { maxLength: 3 }) }),
				(expression, result, params, process) => {
					const kept = holds(`= ${expression}`, result, params, process);
					const direct = (() => {
						try {
							return evaluate(expression, { result, params, process }).value === true;
						} catch {
							return false;
						}
					})();
					expect(kept).toBe(direct);
				},
			),
			{ numRuns: 400 },
		);
	});

	it("R1 reads names that are not plain identifiers (node ids with a dash) through the context", () => {
		const c = "= process.last.collect-papers = 3";
		expect(holds(c, null, {}, { last: { "collect-papers": 3 } })).toBe(true);
		expect(holds(c, null, {}, { last: { "collect-papers": 4 } })).toBe(false);
		expect(holds("= process.passes.review = 1", null, {}, { passes: { review: 1 } })).toBe(true);
	});

	it("R1 treats an expression that is not exactly true (null, a number, an error) as false", () => {
		expect(holds("= result.missing > 3", {})).toBe(false);
		expect(holds("= 1 + 1", null)).toBe(false);
		expect(holds("= result.a.b.c", null)).toBe(false);
	});

	it("D2 reports a FEEL expression that does not parse", () => {
		const bad = compileCondition("= result.total >");
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.message).toMatch(/does not parse/);
		expect(compileCondition("=").ok).toBe(false);
	});

	it("R1 uses an interpreter with no eval and no new Function (Workers forbid them)", () => {
		const require = createRequire(import.meta.url);
		const roots = ["feelin", "lezer-feel", "@lezer/lr", "@lezer/common", "min-dash"];
		for (const name of roots) {
			const main = require.resolve(name);
			const source = readFileSync(main, "utf8");
			expect(source, name).not.toMatch(/\bnew Function\s*\(/);
			expect(source, name).not.toMatch(/[^.\w]eval\s*\(/);
			expect(dirname(main)).toContain(join("node_modules"));
		}
		// and with eval and Function made to throw, expressions still evaluate
		const global = globalThis as unknown as Record<string, unknown>;
		const saved = { eval: global.eval, Function: global.Function };
		const trap = () => {
			throw new Error("dynamic code used");
		};
		try {
			global.eval = trap;
			global.Function = trap;
			expect(holds("= result * 2 = 8", 4)).toBe(true);
			expect(holds('= params.region = "EU" or result > 3', 4, { region: "US" })).toBe(true);
		} finally {
			global.eval = saved.eval;
			global.Function = saved.Function;
		}
	});
});
