import { describe, expect, it } from "vitest";
import {
	conditionLabel,
	findLoopTransitions,
	layoutWorkflow,
	NODE_HEIGHT,
	smoothPath,
	wrapText,
} from "../../../src/diagram/layout.ts";
import { allNodes, allTransitions, type WorkflowDefinition } from "../../../src/engine/index.ts";
import { shippedWorkflows } from "../../../src/workflows/index.ts";
import { definition, n, t } from "../helpers/builder.ts";

const conference = shippedWorkflows.find((w) => w.key === "conference") as WorkflowDefinition;

function boxOf(layout: ReturnType<typeof layoutWorkflow>, key: string) {
	const node = layout.nodes.find((x) => x.key === key);
	if (!node) throw new Error(`no node ${key}`);
	return node;
}

describe("layoutWorkflow", () => {
	it("places every node once, inside the canvas, with no two boxes overlapping", () => {
		const layout = layoutWorkflow(conference);
		expect(layout.nodes.map((x) => x.key).sort()).toEqual(
			conference.nodes.map((x) => x.key).sort(),
		);
		for (const a of layout.nodes) {
			expect(a.x - a.width / 2).toBeGreaterThanOrEqual(0);
			expect(a.x + a.width / 2).toBeLessThanOrEqual(layout.width);
			expect(a.y + a.height / 2).toBeLessThanOrEqual(layout.height);
			for (const b of layout.nodes) {
				if (a === b) continue;
				const apart =
					Math.abs(a.x - b.x) >= (a.width + b.width) / 2 ||
					Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
				expect(apart, `${a.key} overlaps ${b.key}`).toBe(true);
			}
		}
	});

	it("puts every start node on the first layer, below the one start event", () => {
		const layout = layoutWorkflow(conference);
		const starts = layout.nodes.filter((x) => x.isStart);
		expect(starts.map((x) => x.key).sort()).toEqual(["call_for_papers", "search_location"]);
		const top = Math.min(...layout.nodes.map((x) => x.y));
		for (const s of starts) expect(s.y).toBe(top);
		expect(layout.start?.y).toBeLessThan(top);
		expect(layout.end?.y).toBeGreaterThan(Math.max(...layout.nodes.map((x) => x.y)));
	});

	it("draws forward transitions downwards and the conference's loop back up on the right", () => {
		const layout = layoutWorkflow(conference);
		conference.transitions.forEach((tr, i) => {
			const edge = layout.edges.find((e) => e.index === i);
			expect(edge, `transition ${i}`).toBeDefined();
			if (tr.from === "wait_starting_day" && tr.to === "receive_subscriptions") {
				expect(edge?.kind).toBe("loop");
			} else {
				expect(edge?.kind).toBe("forward");
				expect(boxOf(layout, tr.to).y).toBeGreaterThan(boxOf(layout, tr.from).y);
			}
		});
		const loop = layout.edges.find((e) => e.kind === "loop");
		const from = boxOf(layout, "wait_starting_day");
		const to = boxOf(layout, "receive_subscriptions");
		// The lane runs to the right of both boxes, and the arrow ends on the target's right side.
		const lane = Number(/Q([\d.]+),/.exec(loop?.d ?? "")?.[1]);
		expect(lane).toBeGreaterThan(Math.max(from.x, to.x) + from.width / 2);
		expect(loop?.tip).toEqual({ x: to.x + to.width / 2, y: expect.any(Number) });
		expect(Math.abs((loop?.tip.y ?? 0) - to.y)).toBeLessThan(NODE_HEIGHT / 2);
		expect(loop?.label?.text).toBe("started != true");
	});

	it("marks joins and splits only where several transitions meet or leave", () => {
		const layout = layoutWorkflow(conference);
		expect(boxOf(layout, "publicize")).toMatchObject({ join: "and", split: "and" });
		expect(boxOf(layout, "receive_subscriptions").join).toBe("or");
		expect(boxOf(layout, "wait_starting_day").split).toBe("xor");
		expect(boxOf(layout, "mailing").join).toBeUndefined();
		expect(boxOf(layout, "mailing").split).toBeUndefined();
	});

	it("gives the same picture for the same definition", () => {
		expect(JSON.stringify(layoutWorkflow(conference))).toBe(
			JSON.stringify(layoutWorkflow(conference)),
		);
	});

	it("draws a transition from a node to itself as a small loop on its side", () => {
		const def = definition(
			[n("a", { start: true }), n("b", { end: true })],
			[t("a", "a", { condition: "again" }), t("a", "b")],
		);
		const layout = layoutWorkflow(def);
		const self = layout.edges.find((e) => e.index === 0);
		expect(self?.kind).toBe("self");
		expect(self?.label?.text).toBe("= again");
		const a = boxOf(layout, "a");
		expect(self?.tip.x).toBe(a.x + a.width / 2);
	});

	it("lays out every shipped workflow: each node a box or a boundary circle, each transition an arrow", () => {
		for (const def of shippedWorkflows) {
			const layout = layoutWorkflow(def);
			expect([...layout.nodes, ...layout.boundaries].map((x) => x.key).sort()).toEqual(
				allNodes(def)
					.map((x) => x.key)
					.sort(),
			);
			expect(layout.edges.filter((e) => e.index >= 0)).toHaveLength(allTransitions(def).length);
			for (const e of layout.edges) expect(e.d).toMatch(/^M[\d.-]+,[\d.-]+/);
		}
	});

	it("copes with a long chain with a loop around it", () => {
		const count = 300;
		const nodes = Array.from({ length: count }, (_, i) =>
			n(`n${i}`, { start: i === 0, end: i === count - 1 }),
		);
		const transitions = nodes.slice(1).map((node, i) => t(`n${i}`, node.key));
		transitions.push(t(`n${count - 2}`, "n0", { condition: "= result.again" }));
		const layout = layoutWorkflow(definition(nodes, transitions));
		expect(layout.edges.filter((e) => e.kind === "loop")).toHaveLength(1);
		expect(layout.height).toBeGreaterThan(count * NODE_HEIGHT);
	});
});

describe("findLoopTransitions", () => {
	it("finds the transitions that close a loop, walking from the start nodes", () => {
		const def = definition(
			[n("a", { start: true }), n("b"), n("c"), n("d", { end: true })],
			[t("a", "b"), t("b", "c"), t("c", "b"), t("c", "d"), t("c", "a")],
		);
		expect([...findLoopTransitions(def)].sort()).toEqual([2, 4]);
	});

	it("finds none in a diamond", () => {
		const def = definition(
			[n("a", { start: true }), n("b"), n("c"), n("d", { end: true })],
			[t("a", "b"), t("a", "c"), t("b", "d"), t("c", "d")],
		);
		expect(findLoopTransitions(def).size).toBe(0);
	});
});

describe("wrapText", () => {
	it("wraps on spaces and cuts the last line with an ellipsis", () => {
		expect(wrapText("Wait until the starting day", 22, 2)).toEqual([
			"Wait until the",
			"starting day",
		]);
		expect(wrapText("one two three four five six seven eight", 10, 2)).toEqual([
			"one two",
			"three fou…",
		]);
		expect(wrapText("Supercalifragilisticexpialidocious", 10, 2)).toEqual(["Supercali…"]);
	});
});

describe("conditionLabel", () => {
	it("shortens expressions, shows literals as comparisons and names failure routes", () => {
		expect(conditionLabel("= result.total > 1000", undefined)?.text).toBe("total > 1000");
		expect(conditionLabel("OK", undefined)).toEqual({ text: "= OK", full: "OK" });
		expect(conditionLabel(undefined, "failure")).toEqual({
			text: "on failure",
			full: "on failure",
		});
		expect(conditionLabel(undefined, undefined)).toBeUndefined();
		const long = conditionLabel(`= ${"x".repeat(80)}`, undefined);
		expect(long?.text.length).toBeLessThanOrEqual(26);
		expect(long?.full).toBe(`= ${"x".repeat(80)}`);
	});
});

describe("smoothPath", () => {
	it("draws a line for two points and cubic curves through more", () => {
		expect(
			smoothPath([
				{ x: 0, y: 0 },
				{ x: 0, y: 10 },
			]),
		).toBe("M0,0L0,10");
		expect(
			smoothPath([
				{ x: 0, y: 0 },
				{ x: 5, y: 5 },
				{ x: 0, y: 10 },
			]),
		).toMatch(/^M0,0C.*C.* 0,10$/);
	});
});
