import { describe, expect, it } from "vitest";
import {
	compileWorkflow,
	createProcess,
	mustCompile,
	type Problem,
} from "../../../src/engine/index.ts";
import { definition, n, t } from "../helpers/builder.ts";
import { testCatalog } from "../helpers/catalog.ts";

function problems(input: unknown): Problem[] {
	const result = compileWorkflow(input, testCatalog);
	return result.ok ? result.warnings : [...result.problems, ...result.warnings];
}

const codes = (input: unknown) => problems(input).map((p) => `${p.code} ${p.path}`);

describe("compile", () => {
	it("D1 rejects duplicate node keys and a second transition for the same ordered pair", () => {
		const def = definition(
			[n("a", { start: true }), n("a"), n("b", { end: true })],
			[t("a", "b"), t("a", "b", { condition: "x" })],
		);
		expect(codes(def)).toEqual([
			"DUPLICATE_NODE_KEY nodes[1].key",
			"DUPLICATE_TRANSITION transitions[1]",
		]);
	});

	it("D1 defaults join and split to AND", () => {
		const wf = mustCompile(definition([n("a", { start: true, end: true })], []), testCatalog);
		expect(wf.nodes.get("a")).toMatchObject({ join: "and", split: "and" });
	});

	it("D2 reports every mistake at once, each with where it is", () => {
		const def = definition(
			[
				n("a", { task: "nope" }),
				n("b", { role: "ghosts", task: "needs-x", params: { x: "seven" } }),
				n("island"),
				n("c", { split: "xor", task: "add" }),
				n("d"),
				n("e"),
			],
			[
				t("a", "b"),
				t("b", "missing"),
				t("b", "c", { condition: "= result >" }),
				t("c", "d", { condition: "red" }),
				t("c", "e", { condition: "blue" }),
			],
			{ roles: [{ key: "clerks" }] },
		);
		expect(codes(def)).toEqual([
			"NO_START_NODE nodes",
			"UNDECLARED_ROLE nodes[1].role",
			"UNKNOWN_NODE transitions[1].to",
			"CONDITION_SYNTAX transitions[2].condition",
			"UNKNOWN_TASK_TYPE nodes[0].task",
			"INVALID_NODE_PARAMS nodes[1].params.x",
			"NO_END_NODE nodes",
			"XOR_SPLIT_NEVER_MATCHES nodes[3].split",
			"CONDITION_NEVER_MATCHES transitions[3].condition",
			"CONDITION_NEVER_MATCHES transitions[4].condition",
		]);
		for (const p of problems(def)) expect(p.message.length).toBeGreaterThan(5);
	});

	it("D2 reports a node unreachable from every start node, and warns about nodes that reach no end", () => {
		const def = definition(
			[n("a", { start: true }), n("b", { end: true }), n("island"), n("loop")],
			[t("a", "b"), t("a", "loop"), t("loop", "loop")],
		);
		const result = compileWorkflow(def, testCatalog);
		expect(result.ok).toBe(false);
		expect(codes(def)).toEqual([
			"UNREACHABLE_NODE nodes[2]",
			"NO_END_REACHABLE nodes[2]",
			"NO_END_REACHABLE nodes[3]",
		]);
	});

	it("D2 refuses a workflow with no reachable end (a→b→a): no end node at all is an error", () => {
		const def = definition([n("a", { start: true }), n("b")], [t("a", "b"), t("b", "a")]);
		const result = compileWorkflow(def, testCatalog);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => `${p.code} ${p.path} ${p.severity}`)).toEqual([
			"NO_END_NODE nodes error",
		]);
	});

	it("D2 refuses a loop whose end node no start node reaches", () => {
		const def = definition(
			[n("a", { start: true }), n("b"), n("done", { end: true })],
			[t("a", "b"), t("b", "a")],
		);
		const result = compileWorkflow(def, testCatalog);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => `${p.code} ${p.path}`)).toEqual([
			"UNREACHABLE_NODE nodes[2]",
		]);
		// A node from which no end can be reached stays a warning on its own (a human may leave it).
		expect(result.warnings.map((w) => `${w.code} ${w.path}`)).toEqual([
			"NO_END_REACHABLE nodes[0]",
			"NO_END_REACHABLE nodes[1]",
		]);
	});

	it("D2 compiles with only warnings (a loop left by a human decision)", () => {
		const def = definition(
			[n("a", { start: true, end: true }), n("b")],
			[t("a", "b"), t("b", "b")],
		);
		const result = compileWorkflow(def, testCatalog);
		expect(result.ok).toBe(true);
		expect(result.warnings.map((w) => w.code)).toEqual(["NO_END_REACHABLE"]);
	});

	it("D2 allows missing node params (a person may supply them) but not wrong types", () => {
		expect(codes(definition([n("a", { start: true, end: true, task: "needs-x" })], []))).toEqual(
			[],
		);
		expect(
			codes(
				definition([n("a", { start: true, end: true, task: "needs-x", params: { x: 1.5 } })], []),
			),
		).toEqual(["INVALID_NODE_PARAMS nodes[0].params.x"]);
	});

	it("D2 reports structural errors with paths and no stack trace", () => {
		const bad = {
			key: "k",
			name: "N",
			nodes: [{ key: "a", task: 3, join: "maybe", surprise: true }],
			transitions: {},
		};
		const found = problems(bad);
		expect(found.map((p) => p.path)).toEqual([
			"nodes[0].task",
			"nodes[0].join",
			"nodes[0]",
			"transitions",
		]);
		for (const p of found) {
			expect(p.code).toBe("INVALID_STRUCTURE");
			expect(p.message).not.toMatch(/at .*\.ts:\d+/);
		}
		expect(codes("not an object")).toEqual(["INVALID_STRUCTURE "]);
	});

	it("D2 rejects prototype-polluting keys", () => {
		const def = JSON.parse(
			'{"key":"k","name":"N","nodes":[{"key":"__proto__","task":"job","start":true,"end":true,"params":{"__proto__":{"x":1}}}],"transitions":[]}',
		);
		expect(codes(def).every((c) => c.startsWith("INVALID_STRUCTURE"))).toBe(true);
		expect(codes(def).length).toBeGreaterThanOrEqual(1);
	});

	it("D2 throws invalid_definition from mustCompile with the problems as details", () => {
		try {
			mustCompile(definition([n("a")], []), testCatalog);
			expect.unreachable();
		} catch (error) {
			expect(error).toMatchObject({
				code: "invalid_definition",
				details: [{ code: "NO_START_NODE" }, { code: "NO_END_NODE" }],
			});
		}
	});

	it("D3 pins a process to the version it was created on", () => {
		const v1 = mustCompile(
			definition([n("a", { start: true, end: true })], [], { version: 1 }),
			testCatalog,
		);
		const v2 = mustCompile(
			definition([n("a", { start: true, end: true })], [], { version: 2 }),
			testCatalog,
		);
		expect(createProcess(v1, { id: "p" }, { now: 0 }).workflow).toEqual({
			key: "test",
			version: 1,
		});
		expect(createProcess(v2, { id: "q" }, { now: 0 }).workflow).toEqual({
			key: "test",
			version: 2,
		});
	});

	it("J4 precomputes, per transition into an OR join, the nodes that can still feed it", () => {
		const wf = mustCompile(
			definition(
				[
					n("s", { start: true }),
					n("x"),
					n("y"),
					n("j", { join: "or", split: "xor" }),
					n("e", { end: true }),
				],
				[
					t("s", "x"),
					t("s", "y"),
					t("x", "j"),
					t("y", "j"),
					t("j", "x", { condition: "again" }),
					t("j", "e"),
				],
			),
			testCatalog,
		);
		expect([...(wf.transitions[2]?.upstream ?? [])].sort()).toEqual(["s", "x"]);
		expect([...(wf.transitions[3]?.upstream ?? [])].sort()).toEqual(["s", "y"]);
	});
});
