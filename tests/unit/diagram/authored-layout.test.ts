// The diagram of a workflow that keeps its author's drawing (a BPMN file's): the boxes and waypoints
// of that drawing, moved into the canvas; events and gateways drawn small there drawn as such;
// Baton's own start and end only where no start or end node is an event; dagre for the rest.
import { BpmnModdle } from "bpmn-moddle";
import { describe, expect, it } from "vitest";
import { exportBpmn } from "../../../src/bpmn/export.ts";
import { layoutFromDiagram } from "../../../src/bpmn/layout-in.ts";
import { layoutFor } from "../../../src/diagram/cache.ts";
import { diagramView } from "../../../src/diagram/view.ts";
import { allNodes, allTransitions, type WorkflowDefinition } from "../../../src/engine/index.ts";
import { shippedWorkflows } from "../../../src/workflows/index.ts";
import { Diagram } from "../../../templates/diagram.tsx";
import { renderToString } from "../helpers/render.ts";

type Layout = NonNullable<WorkflowDefinition["layout"]>;

const contract = shippedWorkflows.find((w) => w.key === "supplier-contract") as WorkflowDefinition;

/** The drawing a BPMN modeler would keep of `def`: Baton's own export's, read back from its file. */
async function drawn(def: WorkflowDefinition): Promise<WorkflowDefinition> {
	const { rootElement } = await new BpmnModdle().fromXML(await exportBpmn(def));
	const nodes = new Map(allNodes(def).map((n) => [n.key, n.key]));
	const transitions = new Map(allTransitions(def).map((_, i) => [`flow_${i + 1}`, i]));
	const layout = layoutFromDiagram(rootElement, { nodes, transitions });
	if (!layout) throw new Error("no drawing");
	return { ...def, layout };
}

const centreOf = (box: Layout["nodes"][string]) => ({
	x: box.x + box.width / 2,
	y: box.y + box.height / 2,
});

describe("the author's drawing in Baton's diagram", () => {
	it("puts every node where the author drew it, the whole moved into the canvas", async () => {
		const def = await drawn(contract);
		const layout = layoutFor(def);
		expect(layout.isAuthored).toBe(true);
		const stored = def.layout as Layout;
		const prepare = layout.nodes.find((n) => n.key === "prepare");
		const shift = {
			x: (prepare?.x ?? 0) - centreOf(stored.nodes.prepare as Layout["nodes"][string]).x,
			y: (prepare?.y ?? 0) - centreOf(stored.nodes.prepare as Layout["nodes"][string]).y,
		};
		for (const node of layout.nodes) {
			const box = stored.nodes[node.key] as Layout["nodes"][string];
			expect({ x: node.x, y: node.y }).toEqual({
				x: centreOf(box).x + shift.x,
				y: centreOf(box).y + shift.y,
			});
			expect([node.width, node.height]).toEqual([box.width, box.height]);
			expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
			expect(node.x + node.width / 2).toBeLessThanOrEqual(layout.width);
		}
		for (const boundary of layout.boundaries) {
			const box = stored.nodes[boundary.key] as Layout["nodes"][string];
			expect({ x: boundary.x, y: boundary.y }).toEqual({
				x: centreOf(box).x + shift.x,
				y: centreOf(box).y + shift.y,
			});
		}
	});

	it("draws small nodes as the events and gateways they were, tasks as boxes", async () => {
		const layout = layoutFor(await drawn(contract));
		const shape = (key: string) => {
			const node = layout.nodes.find((n) => n.key === key);
			return [node?.shape ?? "box", node?.glyph ?? null];
		};
		expect(shape("prepare")).toEqual(["box", null]);
		expect(shape("awaitSignature")).toEqual(["gateway", null]);
		expect(shape("signed")).toEqual(["event", "message"]);
		expect(shape("lapsed")).toEqual(["event", "timer"]);
		expect(shape("rejected")).toEqual(["event", null]);
		expect(layout.nodes.find((n) => n.key === "awaitSignature")?.split).toBe("event");
	});

	it("adds Baton's start event only before start nodes drawn as boxes, and no end beside end events", async () => {
		const layout = layoutFor(await drawn(contract));
		const prepare = layout.nodes.find((n) => n.key === "prepare");
		expect(layout.start?.x).toBeLessThan((prepare?.x ?? 0) - (prepare?.width ?? 0) / 2);
		expect(layout.start?.y).toBe(prepare?.y);
		expect(layout.end).toBeUndefined();
		expect(layout.edges.filter((e) => e.index < 0).map((e) => e.to)).toEqual(["prepare"]);
	});

	it("draws each transition through the author's waypoints", async () => {
		const def = await drawn(contract);
		const layout = layoutFor(def);
		const stored = def.layout as Layout;
		const prepare = layout.nodes.find((n) => n.key === "prepare");
		const box = stored.nodes.prepare as Layout["nodes"][string];
		const dx = (prepare?.x ?? 0) - centreOf(box).x;
		const dy = (prepare?.y ?? 0) - centreOf(box).y;
		def.transitions.forEach((_, i) => {
			const points = stored.transitions?.[String(i)] ?? [];
			const edge = layout.edges.find((e) => e.index === i);
			const path = points.map((p, k) => `${k === 0 ? "M" : "L"}${p.x + dx},${p.y + dy}`).join("");
			expect(edge?.d, `transition ${i}`).toBe(path);
		});
	});

	it("runs a transition whose waypoints no longer fit straight between its boxes", async () => {
		const def = await drawn(contract);
		const stored = def.layout as Layout;
		// An edit moved the first transition: the stored points are another transition's.
		const moved = { ...stored.transitions, "0": stored.transitions?.["9"] ?? [] };
		const layout = layoutFor({ ...def, layout: { ...stored, transitions: moved } });
		const edge = layout.edges.find((e) => e.index === 0);
		const prepare = layout.nodes.find((n) => n.key === "prepare");
		expect(edge?.d.startsWith(`M${(prepare?.x ?? 0) + (prepare?.width ?? 0) / 2},`)).toBe(true);
	});

	it("lays out with dagre a workflow whose drawing misses a node", async () => {
		const def = await drawn(contract);
		const { lapsed: _added, ...nodes } = (def.layout as Layout).nodes;
		const layout = layoutFor({ ...def, layout: { nodes } });
		expect(layout.isAuthored).toBeUndefined();
		expect(layout.nodes.every((n) => n.shape === undefined)).toBe(true);
	});

	it("draws a scope around its inner nodes, each where the author put it", async () => {
		const def: WorkflowDefinition = {
			key: "scoped",
			name: "Scoped",
			nodes: [
				{
					key: "group",
					task: "scope",
					start: true,
					end: true,
					nodes: [
						{ key: "in", task: "dummy", start: true },
						{ key: "work", task: "ask", params: { questions: {} } },
						{ key: "out", task: "dummy", end: true },
					],
					transitions: [
						{ from: "in", to: "work" },
						{ from: "work", to: "out" },
					],
				},
			],
			transitions: [],
			layout: {
				nodes: {
					group: { x: 100, y: 100, width: 400, height: 200 },
					in: { x: 130, y: 182, width: 36, height: 36 },
					work: { x: 250, y: 160, width: 100, height: 80 },
					out: { x: 430, y: 182, width: 36, height: 36 },
				},
			},
		};
		const layout = layoutFor(def);
		const group = layout.nodes.find((n) => n.key === "group");
		expect(group).toMatchObject({ isScope: true, width: 400, height: 200 });
		// Its own start and end nodes are events: no extra circles inside it.
		expect(group?.inner).toEqual({});
		for (const key of ["in", "work", "out"]) {
			const node = layout.nodes.find((n) => n.key === key);
			expect(node?.scope).toBe("group");
			expect(Math.abs((node?.x ?? 0) - (group?.x ?? 0))).toBeLessThan(200);
		}
		// The scope itself is a start and an end node drawn as a box: Baton's start and end beside it.
		expect(layout.start).toBeDefined();
		expect(layout.end).toBeDefined();
	});

	it("renders the events and gateways and words the summary as the author's drawing", async () => {
		const def = await drawn(contract);
		const view = diagramView(def, layoutFor(def));
		expect(view.summary).toBe("Supplier contract: 9 steps, drawn as in its BPMN file.");
		// Reading order is left to right in a drawing that runs left to right.
		expect(view.steps[0]?.key).toBe("prepare");
		const html = renderToString(Diagram({ view, id: "d" }));
		expect(html.match(/class="node st-idle[a-z -]* node-compact"/g)).toHaveLength(6);
		expect(html).toContain('data-node="awaitSignature"');
		expect(html).toContain("event event-start");
		expect(html).not.toContain("event event-end");
	});
});
