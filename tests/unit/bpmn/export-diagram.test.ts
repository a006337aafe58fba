// The export's diagram interchange (BPMNDI): a shape for every element and an edge for every flow,
// boundary events on their host's edge, subprocesses expanded around their inside; and, when the
// workflow keeps the author's drawing, that drawing, which layoutFromDiagram reads back.
import type { ModdleElement } from "bpmn-moddle";
import { describe, expect, it } from "vitest";
import { layoutFromDiagram } from "../../../src/bpmn/layout-in.ts";
import { allNodes, allTransitions, type WorkflowDefinition } from "../../../src/engine/index.ts";
import { shippedWorkflows } from "../../../src/workflows/index.ts";
import {
	boundaries,
	messages,
	multi,
	scheduled,
	scope,
} from "../../fixtures/bpmn/time-and-events.ts";
import { exportAndRead, flowElements, idOf, list, type Read } from "./moddle.ts";

interface Bounds {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** The shapes and edges of the file's one diagram, by the id of what they draw. */
function diagramOf(read: Read) {
	const plane = list(read.definitions.diagrams)[0]?.plane as ModdleElement;
	const shapes = new Map<string, ModdleElement>();
	const edges = new Map<string, { x: number; y: number }[]>();
	for (const di of list(plane.planeElement)) {
		const id = idOf(di.bpmnElement) ?? "";
		if (di.$type === "bpmndi:BPMNShape") shapes.set(id, di);
		else
			edges.set(
				id,
				list(di.waypoint).map((p) => ({ x: Number(p.x), y: Number(p.y) })),
			);
	}
	const bounds = (id: string) => {
		const shape = shapes.get(id);
		if (!shape) throw new Error(`no shape for ${id}`);
		const { x, y, width, height } = shape.bounds as unknown as Bounds;
		return { x, y, width, height };
	};
	return { plane, shapes, edges, bounds };
}

const contains = (outer: Bounds, inner: Bounds) =>
	inner.x >= outer.x &&
	inner.y >= outer.y &&
	inner.x + inner.width <= outer.x + outer.width &&
	inner.y + inner.height <= outer.y + outer.height;

const workflows = [...shippedWorkflows, boundaries, messages, scope, multi, scheduled];

describe("BPMN export diagram", () => {
	for (const def of workflows) {
		it(`draws every element and every flow of "${def.key}", each once`, async () => {
			const read = await exportAndRead(def);
			const { shapes, edges, plane } = diagramOf(read);
			const elements = flowElements(read.process);
			const nodes = elements.filter((e) => e.$type !== "bpmn:SequenceFlow");
			const flows = elements.filter((e) => e.$type === "bpmn:SequenceFlow");
			expect([...shapes.keys()].sort()).toEqual(nodes.map((e) => e.id).sort());
			expect([...edges.keys()].sort()).toEqual(flows.map((e) => e.id).sort());
			expect(list(plane.planeElement)).toHaveLength(nodes.length + flows.length);
			for (const points of edges.values()) expect(points.length).toBeGreaterThanOrEqual(2);
		});
	}

	it("puts each boundary event on its host's bottom edge, its flow leaving from there", async () => {
		const read = await exportAndRead(boundaries);
		const { bounds, edges } = diagramOf(read);
		const host = bounds("approve");
		const attached = ["remind", "escalate", "late", "deadline", "cancelled", "refused", "anyError"];
		const centres = attached.map((key) => {
			const b = bounds(key);
			const centre = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
			expect(centre.y).toBe(host.y + host.height);
			expect(centre.x).toBeGreaterThan(host.x);
			expect(centre.x).toBeLessThan(host.x + host.width);
			const flow = read.element(key).outgoing as ModdleElement[];
			const first = edges.get(flow[0]?.id ?? "")?.[0];
			expect(first).toEqual({ x: centre.x, y: b.y + b.height });
			return centre.x;
		});
		expect(new Set(centres).size).toBe(attached.length);
	});

	it("draws a subprocess expanded, around its inner shapes and flows", async () => {
		const read = await exportAndRead(scope);
		const { bounds, shapes, edges } = diagramOf(read);
		const box = bounds("check");
		expect(shapes.get("check")?.isExpanded).toBe(true);
		for (const inner of list(read.element("check").flowElements)) {
			if (inner.$type === "bpmn:SequenceFlow") {
				for (const p of edges.get(inner.id ?? "") ?? []) {
					expect(contains(box, { ...p, width: 0, height: 0 })).toBe(true);
				}
			} else {
				expect(contains(box, bounds(inner.id ?? "")), `${inner.id} inside`).toBe(true);
			}
		}
		// A boundary on the subprocess sits on its edge, outside the inside's shapes.
		const failed = bounds("checkFailed");
		expect(failed.y + failed.height / 2).toBe(box.y + box.height);
	});
});

/** A layout as an author would keep it: every node's box, and some transitions' waypoints. */
function authored(def: WorkflowDefinition): WorkflowDefinition {
	const nodes: NonNullable<WorkflowDefinition["layout"]>["nodes"] = {};
	allNodes(def).forEach((n, i) => {
		nodes[n.key] = { x: 200 + 150 * i, y: 100 + (i % 2) * 120, width: 100, height: 80 };
	});
	const transitions: NonNullable<NonNullable<WorkflowDefinition["layout"]>["transitions"]> = {};
	allTransitions(def).forEach((t, i) => {
		const a = nodes[t.from];
		const b = nodes[t.to];
		if (!a || !b) return;
		transitions[String(i)] = [
			{ x: a.x + a.width, y: a.y + 40 },
			{ x: a.x + a.width + 20, y: a.y + 40 },
			{ x: a.x + a.width + 20, y: b.y + 40 },
			{ x: b.x, y: b.y + 40 },
		];
	});
	return { ...def, layout: { nodes, transitions } };
}

describe("BPMN export of the author's drawing", () => {
	it("draws every node where the layout says, with its waypoints", async () => {
		const def = authored(messages);
		const read = await exportAndRead(def);
		const { bounds, edges } = diagramOf(read);
		for (const [key, box] of Object.entries(def.layout?.nodes ?? {})) {
			expect(bounds(key), key).toEqual(box);
		}
		def.transitions.forEach((_, i) => {
			expect(edges.get(`flow_${i + 1}`)).toEqual(def.layout?.transitions?.[String(i)]);
		});
	});

	it("routes a transition whose waypoints no longer join its nodes between its boxes", async () => {
		const def = authored(messages);
		const layout = def.layout as NonNullable<WorkflowDefinition["layout"]>;
		// The author's transitions 0 and 1 swapped by an edit since: their waypoints do not fit.
		const swapped = { ...layout.transitions, "0": layout.transitions?.["1"] ?? [] };
		const read = await exportAndRead({ ...def, layout: { ...layout, transitions: swapped } });
		const { edges } = diagramOf(read);
		const order = layout.nodes.order as Bounds;
		const confirm = layout.nodes.confirm as Bounds;
		const route = edges.get("flow_1") ?? [];
		expect(route[0]).toEqual({ x: order.x + order.width, y: order.y + order.height / 2 });
		expect(route[route.length - 1]).toEqual({ x: confirm.x, y: confirm.y + confirm.height / 2 });
	});

	it("puts Baton's implicit events beside their node and schedules under the first start", async () => {
		const read = await exportAndRead(authored(scheduled));
		const { bounds } = diagramOf(read);
		const count = bounds("count");
		const start = bounds("count__start");
		expect(start.x + start.width).toBeLessThan(count.x);
		expect(start.y + start.height / 2).toBe(count.y + count.height / 2);
		const begin = bounds("begin");
		const first = bounds("schedule_1");
		const second = bounds("schedule_2");
		expect(first.y).toBeGreaterThan(begin.y + begin.height);
		expect(second.y).toBeGreaterThan(first.y + first.height);
	});

	it("ignores a layout that misses a node: the whole drawing is laid out again", async () => {
		const def = authored(messages);
		const layout = def.layout as NonNullable<WorkflowDefinition["layout"]>;
		const { order: _dropped, ...rest } = layout.nodes;
		const read = await exportAndRead({ ...def, layout: { ...layout, nodes: rest } });
		expect(diagramOf(read).bounds("confirm")).not.toEqual(layout.nodes.confirm);
	});

	for (const def of [boundaries, scope, multi]) {
		it(`reads the drawing of "${def.key}" back with layoutFromDiagram`, async () => {
			const kept = authored(def);
			const read = await exportAndRead(kept);
			const nodes = new Map(allNodes(def).map((n) => [n.key, n.key]));
			const transitions = new Map(allTransitions(def).map((_, i) => [`flow_${i + 1}`, i]));
			expect(layoutFromDiagram(read.definitions, { nodes, transitions })).toEqual(kept.layout);
		});
	}
});
