// Where the export draws each element: the author's drawing when the workflow keeps one (its
// `layout`, from a BPMN file), else a left-to-right layered layout by dagre. dagre's compound graphs
// take no edge to a cluster, and a subprocess has flows in and out, so each subprocess's inside is
// laid out first and enters its level as one box of that size. Boundary events sit on their host's
// bottom edge; their flows leave from there. Positions only: export-diagram.ts writes the BPMNDI.
import dagre from "@dagrejs/dagre";
import type { ModdleElement } from "bpmn-moddle";
import {
	type Box,
	centre,
	connectBoxes,
	type Point,
	storedWaypoints,
	type WorkflowLayout,
} from "../diagram/stored-layout.ts";
import type { Shape } from "./export-nodes.ts";

/** An element of the drawing. */
export interface Drawn {
	el: ModdleElement;
	shape: Shape;
	/** The node it stands for, whose box the author's drawing gives. */
	node?: string;
	/** A boundary event: the element it sits on. */
	host?: ModdleElement;
	/** What Baton adds (an implicit start or end, a schedule's start): drawn next to `el`. */
	beside?: { el: ModdleElement; side: "before" | "after" | "below"; slot: number };
	/** A subprocess's inside. */
	inner?: DrawnLevel;
}

export interface DrawnFlow {
	el: ModdleElement;
	from: ModdleElement;
	to: ModdleElement;
	/** The transition it stands for, in allTransitions order. */
	index?: number;
}

/** A process or a subprocess: its elements and flows. */
export interface DrawnLevel {
	elements: Drawn[];
	flows: DrawnFlow[];
}

export interface Geometry {
	shapes: Map<ModdleElement, Box>;
	edges: Map<ModdleElement, Point[]>;
}

export const SIZES: Record<Shape, { width: number; height: number }> = {
	event: { width: 36, height: 36 },
	gateway: { width: 50, height: 50 },
	activity: { width: 120, height: 80 },
};
/** Room in a subprocess's box around its inside: its name is written in the top-left corner. */
const PAD = 20;
const HEADER = 30;
/** Kept free under a host with boundary events, where their flows turn. */
const RESERVE = 24;
const GAP = 40;
/** Between the centres of boundary events side by side. */
const BOUNDARY_STEP = 44;

export function placeDrawing(top: DrawnLevel, layout: WorkflowLayout | undefined): Geometry {
	const geometry: Geometry = { shapes: new Map(), edges: new Map() };
	if (layout) placeStored(top, layout, geometry);
	else measure(top, true).place(0, 0, geometry);
	return geometry;
}

function levelsOf(top: DrawnLevel): DrawnLevel[] {
	const out = [top];
	for (const d of top.elements) if (d.inner) out.push(...levelsOf(d.inner));
	return out;
}

/** The author's boxes and waypoints; what Baton adds goes beside the element it belongs to. */
function placeStored(top: DrawnLevel, layout: WorkflowLayout, geometry: Geometry) {
	const levels = levelsOf(top);
	const elements = levels.flatMap((level) => level.elements);
	for (const d of elements) {
		const box = d.node === undefined ? undefined : layout.nodes[d.node];
		if (box) geometry.shapes.set(d.el, { ...box });
	}
	// An implicit start may be the anchor of a schedule's start: place until nothing more can be.
	let pending = elements.filter((d) => !geometry.shapes.has(d.el));
	while (pending.length > 0) {
		const left = pending.filter((d) => !placeBeside(d, geometry));
		if (left.length === pending.length) {
			for (const d of left) geometry.shapes.set(d.el, { x: 0, y: 0, ...SIZES[d.shape] });
			break;
		}
		pending = left;
	}
	for (const flow of levels.flatMap((level) => level.flows)) {
		const from = geometry.shapes.get(flow.from);
		const to = geometry.shapes.get(flow.to);
		if (!from || !to) continue;
		const stored =
			flow.index === undefined ? undefined : storedWaypoints(layout, flow.index, from, to);
		geometry.edges.set(flow.el, stored ?? connectBoxes(from, to));
	}
}

function placeBeside(d: Drawn, geometry: Geometry): boolean {
	const anchor = d.beside && geometry.shapes.get(d.beside.el);
	if (!d.beside || !anchor) return false;
	const { width, height } = SIZES[d.shape];
	const middle = centre(anchor);
	const box =
		d.beside.side === "below"
			? {
					x: middle.x - width / 2,
					y: anchor.y + anchor.height + GAP + d.beside.slot * (height + GAP),
				}
			: {
					x: d.beside.side === "before" ? anchor.x - GAP - width : anchor.x + anchor.width + GAP,
					y: middle.y - height / 2,
				};
	geometry.shapes.set(d.el, { ...box, width, height });
	return true;
}

interface Measured {
	width: number;
	height: number;
	place(dx: number, dy: number, geometry: Geometry): void;
}

/** Lays a level out in its own coordinates, its subprocesses' insides first. */
function measure(level: DrawnLevel, isTop: boolean): Measured {
	const inner = new Map<Drawn, Measured>();
	for (const d of level.elements) if (d.inner) inner.set(d, measure(d.inner, false));
	const boxes = level.elements.filter((d) => !d.host);
	const hosted = (host: Drawn) => level.elements.filter((d) => d.host === host.el);
	const sizeOf = (d: Drawn) => {
		const m = inner.get(d);
		const size = m
			? {
					width: Math.max(SIZES.activity.width, Math.ceil(m.width + 2 * PAD)),
					height: Math.max(SIZES.activity.height, Math.ceil(m.height + HEADER + PAD)),
				}
			: SIZES[d.shape];
		// Wide enough for its boundary events side by side on its bottom edge.
		let width = size.width;
		while (boundarySlots(width, hosted(d).length) === undefined) width += BOUNDARY_STEP / 2;
		return { ...size, width };
	};
	const hostOf = new Map(level.elements.filter((d) => d.host).map((d) => [d.el, d.host]));
	const id = (el: ModdleElement) => el.id ?? "";

	const g = new dagre.graphlib.Graph({ multigraph: true });
	const margin = isTop ? 40 : 0;
	g.setGraph({ rankdir: "LR", nodesep: 50, ranksep: 80, marginx: margin, marginy: margin });
	g.setDefaultEdgeLabel(() => ({}));
	for (const d of boxes) {
		const size = sizeOf(d);
		const reserve = hosted(d).length > 0 ? RESERVE : 0;
		g.setNode(id(d.el), { width: size.width, height: size.height + reserve });
	}
	// A boundary's flow leaves, for dagre, from its host: that is where the boundary sits.
	for (const flow of level.flows) {
		g.setEdge(id(hostOf.get(flow.from) ?? flow.from), id(flow.to), {}, id(flow.el));
	}
	dagre.layout(g);

	return {
		width: g.graph().width ?? 0,
		height: g.graph().height ?? 0,
		place(dx, dy, geometry) {
			for (const d of boxes) {
				const placed = g.node(id(d.el));
				const size = sizeOf(d);
				// The box is the top of what dagre placed; the reserve is under it.
				const box = {
					x: Math.round(placed.x - placed.width / 2 + dx),
					y: Math.round(placed.y - placed.height / 2 + dy),
					...size,
				};
				geometry.shapes.set(d.el, box);
				inner.get(d)?.place(box.x + PAD, box.y + HEADER, geometry);
				const attached = hosted(d);
				const slots = boundarySlots(box.width, attached.length) ?? [];
				attached.forEach((boundary, i) => {
					const x = box.x + (slots[i] ?? 0);
					const { width, height } = SIZES.event;
					geometry.shapes.set(boundary.el, {
						x: Math.round(x - width / 2),
						y: box.y + box.height - height / 2,
						width,
						height,
					});
				});
			}
			for (const flow of level.flows) {
				const from = geometry.shapes.get(flow.from);
				const to = geometry.shapes.get(flow.to);
				if (hostOf.has(flow.from) && from && to) {
					geometry.edges.set(flow.el, routeFromBoundary(from, to));
					continue;
				}
				const edge = g.edge({ v: id(flow.from), w: id(flow.to), name: id(flow.el) });
				const points: Point[] = (edge?.points ?? []).map((p: Point) => ({
					x: Math.round(p.x + dx),
					y: Math.round(p.y + dy),
				}));
				// dagre ends a flow on the box with the reserve under it: bring the ends onto the shape.
				const first = points[0];
				const last = points[points.length - 1];
				if (from && first) first.y = Math.min(first.y, from.y + from.height);
				if (to && last) last.y = Math.min(last.y, to.y + to.height);
				geometry.edges.set(flow.el, points);
			}
		},
	};
}

/**
 * Where `count` boundary events sit along a bottom edge `width` wide (x from its left): one every
 * BOUNDARY_STEP, clear of the middle, where a modeler draws a marker (and Baton a split); undefined
 * when they do not fit.
 */
function boundarySlots(width: number, count: number): number[] | undefined {
	const slots: number[] = [];
	for (let x = BOUNDARY_STEP / 2; x <= width - BOUNDARY_STEP / 2; x += BOUNDARY_STEP) {
		if (Math.abs(x - width / 2) >= BOUNDARY_STEP / 2 + 8) slots.push(x);
	}
	return slots.length >= count ? slots.slice(0, count) : undefined;
}

/**
 * Out of a boundary event's bottom: straight down and across into a target below, or down under
 * the host, across, and up into a target level with it or above (where dagre put it, beside the
 * host).
 */
function routeFromBoundary(boundary: Box, target: Box): Point[] {
	const start = { x: boundary.x + boundary.width / 2, y: boundary.y + boundary.height };
	const middle = centre(target);
	if (target.y > start.y) {
		if (target.x > start.x) {
			return [start, { x: start.x, y: middle.y }, { x: target.x, y: middle.y }];
		}
		if (target.x + target.width < start.x) {
			return [start, { x: start.x, y: middle.y }, { x: target.x + target.width, y: middle.y }];
		}
		return [start, { x: start.x, y: target.y }];
	}
	const below = start.y + 20;
	return [
		start,
		{ x: start.x, y: below },
		{ x: middle.x, y: below },
		{ x: middle.x, y: target.y + target.height },
	];
}
