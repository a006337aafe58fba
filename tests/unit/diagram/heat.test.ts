// The heatmap's levels and legend (issue #16): five steps from zero to the slowest node, the
// figures on the nodes and in the diagram's text list, and nodes without figures saying so.
import { describe, expect, it } from "vitest";
import { withHeat } from "../../../src/diagram/heat.ts";
import { layoutWorkflow } from "../../../src/diagram/layout.ts";
import { diagramView } from "../../../src/diagram/view.ts";
import type { WorkflowDefinition } from "../../../src/engine/index.ts";

const def: WorkflowDefinition = {
	key: "hot",
	name: "Hot",
	nodes: [
		{ key: "a", name: "Fast", task: "dummy", start: true },
		{ key: "b", name: "Middling", task: "dummy" },
		{ key: "c", name: "Slow", task: "dummy" },
		{ key: "d", name: "Unmeasured", task: "dummy", end: true },
	],
	transitions: [
		{ from: "a", to: "b" },
		{ from: "b", to: "c" },
		{ from: "c", to: "d" },
	],
};

const words = (ms: number) => `${ms} ms`;
const bare = () => diagramView(def, layoutWorkflow(def));

describe("withHeat", () => {
	it("puts each measured node on one of five steps, the slowest on the top one", () => {
		const figures = new Map([
			["a", { p50: 5, p95: 10, n: 3 }],
			["b", { p50: 40, p95: 55, n: 3 }],
			["c", { p50: 60, p95: 100, n: 1 }],
		]);
		const view = withHeat(bare(), figures, "Running time", words);
		const byKey = new Map(view.nodes.map((n) => [n.key, n]));
		expect([...byKey.values()].map((n) => n.heat?.level)).toEqual([0, 2, 4, undefined]);
		expect(byKey.get("c")?.heat).toEqual({
			level: 4,
			text: "p95 100 ms",
			label: "p95 100 ms, p50 60 ms, over 1 task",
		});
		expect(byKey.get("d")?.statusLabel).toBe("No figures in the period");
		expect(view.heatScale).toEqual({
			measure: "Running time",
			steps: [
				{ level: 0, range: "0 ms to under 20 ms" },
				{ level: 1, range: "20 ms to under 40 ms" },
				{ level: 2, range: "40 ms to under 60 ms" },
				{ level: 3, range: "60 ms to under 80 ms" },
				{ level: 4, range: "80 ms to 100 ms" },
			],
		});
		// The text list carries the figures too.
		const slow = view.steps.find((s) => s.key === "c");
		expect(slow?.details).toContain("p95 100 ms, p50 60 ms, over 1 task");
	});

	it("keeps one step when every figure is zero, and leaves the plain diagram untouched", () => {
		const plain = bare();
		const view = withHeat(plain, new Map([["a", { p50: 0, p95: 0, n: 2 }]]), "Waiting", words);
		expect(view.nodes[0]?.heat?.level).toBe(0);
		expect(view.heatScale?.steps).toEqual([{ level: 0, range: "all measured steps" }]);
		expect(plain.nodes.some((n) => n.heat)).toBe(false);
		expect(plain.heatScale).toBeUndefined();
	});
});
