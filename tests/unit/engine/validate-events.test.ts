// D2 for the time and event constructs: misuse is reported at once, each problem at its path.
import { describe, expect, it } from "vitest";
import { compileWorkflow, type Problem } from "../../../src/engine/index.ts";
import { definition, n, t } from "../helpers/builder.ts";
import { testCatalog } from "../helpers/catalog.ts";

const END = { end: true, task: "dummy", inline: true } as const;

function problems(...args: Parameters<typeof definition>): Problem[] {
	const result = compileWorkflow(definition(...args), testCatalog);
	return result.ok ? result.warnings : [...result.problems, ...result.warnings];
}

function codes(...args: Parameters<typeof definition>): string[] {
	return problems(...args).map((p) => `${p.code} ${p.path}`);
}

describe("D2 time and events", () => {
	it("D2 a boundary on a start node, with no path, or of a task type that does not listen", () => {
		expect(
			codes(
				[
					n("a", { start: true }),
					n("e", END),
					n("b", { attachedTo: "a", task: "wait", params: { duration: "1h" }, start: true }),
					n("c", { attachedTo: "a", task: "dummy" }),
					n("d", { attachedTo: "nope", task: "wait", params: { duration: "1h" } }),
				],
				[t("a", "e"), t("b", "e"), t("c", "e"), t("d", "e")],
			),
		).toEqual(
			expect.arrayContaining([
				"BOUNDARY_ON_START nodes[2].start",
				"BOUNDARY_TASK_TYPE nodes[3].task",
				"UNKNOWN_HOST nodes[4].attachedTo",
			]),
		);
		expect(
			codes(
				[
					n("a", { start: true }),
					n("e", END),
					n("b", { attachedTo: "a", task: "wait", params: { duration: "1h" } }),
				],
				[t("a", "e")],
			),
		).toContain("BOUNDARY_WITHOUT_PATH nodes[2]");
	});

	it("D2 an error boundary always interrupts; cycles and `at` belong to boundaries", () => {
		expect(
			codes(
				[
					n("a", { start: true, due: "P1D" }),
					n("e", END),
					n("x", { attachedTo: "a", task: "error", interrupting: false }),
					n("w", { task: "wait", params: { cycle: "R2/PT1H" } }),
				],
				[t("a", "e"), t("x", "e"), t("a", "w"), t("w", "e")],
			),
		).toEqual(
			expect.arrayContaining([
				"ERROR_BOUNDARY_NOT_INTERRUPTING nodes[2].interrupting",
				"TIMER_SETTING_NEEDS_HOST nodes[3].params.cycle",
			]),
		);
	});

	it("D2 a timer at the due date of a host that sets none", () => {
		expect(
			codes(
				[
					n("a", { start: true }),
					n("e", END),
					n("w", { attachedTo: "a", task: "wait", params: { at: "due" } }),
				],
				[t("a", "e"), t("w", "e")],
			),
		).toContain("TIMER_AT_MISSING_DATE nodes[2].params.at");
	});

	it("D2 a message wait with no correlation key (but a message start)", () => {
		expect(
			codes(
				[
					n("start", { start: true, task: "message", params: { message: "go" } }),
					n("wait", { task: "message", params: { message: "more" } }),
					n("e", END),
				],
				[t("start", "wait"), t("wait", "e")],
			),
		).toEqual(["MESSAGE_WITHOUT_CORRELATION nodes[1].params.correlationKey"]);
	});

	it("D2 multi-instance over something that is not a list, and bad FEEL", () => {
		expect(
			codes(
				[
					n("a", { start: true, multiInstance: { items: "= 5" } }),
					n("b", { multiInstance: { items: "params.x", completion: "1 +" } }),
					n("e", END),
				],
				[t("a", "b"), t("b", "e")],
			),
		).toEqual([
			"NOT_A_LIST nodes[0].multiInstance.items",
			"EXPRESSION_SYNTAX nodes[1].multiInstance.completion",
		]);
	});

	it("D2 due dates are durations or FEEL", () => {
		expect(codes([n("a", { start: true, end: true, due: "tomorrow" })], [])).toEqual([
			"INVALID_DATE_SETTING nodes[0].due",
		]);
	});

	it("D2 an error node ends or catches, and an error end names its code", () => {
		expect(
			codes(
				[
					n("a", { start: true }),
					n("x", { task: "error", params: { code: "X" } }),
					n("y", { task: "error", end: true }),
				],
				[t("a", "x"), t("x", "y")],
			),
		).toEqual(
			expect.arrayContaining([
				"ERROR_NODE_PLACEMENT nodes[1]",
				"ERROR_END_WITHOUT_CODE nodes[2].params.code",
			]),
		);
	});

	it("D2 a scope needs its own start and end; transitions stay inside one graph", () => {
		expect(
			codes(
				[
					n("s", {
						start: true,
						task: "scope",
						nodes: [n("in1", {}), n("in2", {})],
						transitions: [t("in1", "in2"), t("in2", "out")],
					}),
					n("out", END),
				],
				[t("s", "out"), t("out", "in1")],
			),
		).toEqual(
			expect.arrayContaining([
				"TRANSITION_CROSSES_SCOPE transitions[1].to",
				"TRANSITION_CROSSES_SCOPE nodes[0].transitions[1].to",
				"NO_START_NODE nodes[0].nodes",
				"NO_END_NODE nodes[0].nodes",
			]),
		);
		expect(codes([n("a", { start: true, end: true, nodes: [n("b", END)] })], [])).toContain(
			"INNER_GRAPH_OUTSIDE_SCOPE nodes[0].nodes",
		);
		expect(
			codes(
				[
					n("s", {
						start: true,
						end: true,
						task: "scope",
						nodes: [n("s", { start: true, end: true })],
					}),
				],
				[],
			),
		).toContain("DUPLICATE_NODE_KEY nodes[0].nodes[0].key");
	});

	it("D2 an event-based gateway leads, unconditionally, to waits only it leads to", () => {
		expect(
			codes(
				[
					n("g", { start: true, task: "dummy", inline: true, split: "event" }),
					n("m", { task: "message", params: { message: "x", correlationKey: "k" } }),
					n("j", {}),
					n("e", END),
				],
				[t("g", "m", { condition: "yes" }), t("g", "j"), t("m", "e"), t("j", "e")],
			),
		).toEqual(
			expect.arrayContaining([
				"EVENT_SPLIT_CONDITION transitions[0].condition",
				"EVENT_SPLIT_TARGET transitions[1].to",
			]),
		);
	});
});
