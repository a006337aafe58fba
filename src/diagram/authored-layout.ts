// The diagram as its author drew it: the boxes and waypoints of the definition's `layout` (kept
// from a BPMN file's diagram) instead of dagre's. A node drawn small there is drawn as the event or
// gateway it was; boundary events sit where the author put them; a transition without waypoints
// that still fit runs straight between its boxes. Baton's own start and end events are added only
// beside start and end nodes that are not events already. Pure, like layout.ts.
import type { NodeDefinition, TransitionDefinition, WorkflowDefinition } from "../engine/index.ts";
import { taskCatalog } from "../tasks/registry.ts";
import {
	BOUNDARY_RADIUS,
	boundaryKind,
	conditionLabel,
	type DiagramLayout,
	type EdgeKind,
	findLoopTransitions,
	type LaidOutBoundary,
	type LaidOutEdge,
	type LaidOutNode,
	type Point,
	wrapText,
} from "./layout.ts";
import {
	type Box,
	centre,
	connectBoxes,
	storedWaypoints,
	transitionOffsets,
	type WorkflowLayout,
} from "./stored-layout.ts";

const MARGIN = 24;
/** Below this size a node was drawn as an event or a gateway, not as a task. */
const COMPACT = 60;
/** Baton's start and end events: their radius and their distance from the node they lead to. */
const EVENT_R = 10;
const EVENT_GAP = 40;
/** Pixels per character of a name in a box (13px semi-bold). */
const CHAR_WIDTH = 7.6;
/** A name under a small node (11.5px): characters per line, pixels per character. */
const COMPACT_CHARS = 18;
const LABEL_CHAR_WIDTH = 6.8;
const EVENT_MODES = new Set(["timer", "message", "error", "send"]);

/** An edge before it is moved into the canvas and written as a path. */
interface RawEdge {
	edge: Omit<LaidOutEdge, "d" | "tip" | "label">;
	points: Point[];
	label?: { text: string; full: string };
}

interface Drawing {
	nodes: LaidOutNode[];
	boundaries: LaidOutBoundary[];
	edges: RawEdge[];
}

/** The author's drawing of `def`; `layout` draws every node (storedLayoutOf said so). */
export function authoredLayout(def: WorkflowDefinition, layout: WorkflowLayout): DiagramLayout {
	const drawing: Drawing = { nodes: [], boundaries: [], edges: [] };
	const offsets = transitionOffsets(def);
	const events = drawLevel(def.nodes, def.transitions, 0, undefined, layout, offsets, drawing);

	// Into the canvas: whatever the file's origin, the drawing starts MARGIN from the top left.
	const xs: number[] = [];
	const ys: number[] = [];
	const extend = (x: number, y: number, rx = 0, ry = rx) => {
		xs.push(x - rx, x + rx);
		ys.push(y - ry, y + ry);
	};
	for (const n of drawing.nodes) {
		// A small node's name is written under it, and may be wider than it.
		const label = n.shape ? Math.max(...n.lines.map((l) => l.length)) * LABEL_CHAR_WIDTH : 0;
		const under = n.shape ? 16 * n.lines.length : 0;
		extend(n.x, n.y, Math.max(n.width, label) / 2, n.height / 2 + under);
	}
	for (const b of drawing.boundaries) extend(b.x, b.y, b.r);
	for (const e of drawing.edges) for (const p of e.points) extend(p.x, p.y);
	for (const p of [events.start, events.end]) if (p) extend(p.x, p.y, EVENT_R);
	const dx = MARGIN - Math.min(...xs);
	const dy = MARGIN - Math.min(...ys);
	const move = (p: Point): Point => ({ x: round(p.x + dx), y: round(p.y + dy) });

	const out: DiagramLayout = {
		width: Math.ceil(Math.max(...xs) + dx + MARGIN),
		height: Math.ceil(Math.max(...ys) + dy + MARGIN),
		nodes: drawing.nodes.map((n) => {
			const moved: LaidOutNode = { ...n, ...move(n) };
			if (n.inner) {
				moved.inner = {};
				if (n.inner.start) moved.inner.start = move(n.inner.start);
				if (n.inner.end) moved.inner.end = move(n.inner.end);
			}
			return moved;
		}),
		boundaries: drawing.boundaries.map((b) => ({ ...b, ...move(b) })),
		edges: drawing.edges.map((raw) => edgeOf(raw, raw.points.map(move))),
		isAuthored: true,
	};
	if (events.start) out.start = move(events.start);
	if (events.end) out.end = move(events.end);
	return out;
}

/** One graph (the top level or a scope's inside) into `drawing`; returns Baton's start and end. */
function drawLevel(
	nodes: readonly NodeDefinition[],
	transitions: readonly TransitionDefinition[],
	base: number,
	scope: string | undefined,
	layout: WorkflowLayout,
	offsets: Map<string, number>,
	drawing: Drawing,
): { start?: Point; end?: Point } {
	const keys = new Set(nodes.map((n) => n.key));
	const isBoundary = (n: NodeDefinition) =>
		n.attachedTo !== undefined && n.attachedTo !== n.key && keys.has(n.attachedTo);
	const boxOf = (key: string) => layout.nodes[key] as Box;
	const incoming = countBy(transitions.map((t) => t.to));
	const outgoing = countBy(transitions.map((t) => t.from));
	const boxes = nodes.filter((n) => !isBoundary(n));
	const laid = new Map<string, LaidOutNode>();

	for (const n of boxes) {
		const node = nodeOf(n, boxOf(n.key), scope, incoming, outgoing);
		drawing.nodes.push(node);
		laid.set(n.key, node);
		if (n.nodes !== undefined) {
			const base = offsets.get(n.key) ?? 0;
			node.inner = drawLevel(n.nodes, n.transitions ?? [], base, n.key, layout, offsets, drawing);
		}
	}

	// Boundaries where the author put them; words under the host in the order of their circles.
	const circles = new Map<string, Box>();
	const boundaries = nodes
		.filter(isBoundary)
		.sort((a, b) => boxOf(a.key).x - boxOf(b.key).x || a.key.localeCompare(b.key));
	const rows = new Map<string, number>();
	for (const n of boundaries) {
		const box = boxOf(n.key);
		const c = centre(box);
		const kind = boundaryKind(n.task);
		const r = Math.min(18, Math.max(BOUNDARY_RADIUS, Math.min(box.width, box.height) / 2));
		const boundary: LaidOutBoundary = {
			key: n.key,
			name: n.name ?? n.key,
			host: n.attachedTo as string,
			kind,
			interrupting: n.interrupting !== false,
			x: round(c.x),
			y: round(c.y),
			r,
		};
		if (scope !== undefined) boundary.scope = scope;
		if (kind === "timer" || kind === "message") {
			const row = rows.get(boundary.host) ?? 0;
			boundary.labelRow = row;
			rows.set(boundary.host, row + 1);
		}
		drawing.boundaries.push(boundary);
		circles.set(n.key, { x: c.x - r, y: c.y - r, width: 2 * r, height: 2 * r });
	}

	const loops = findLoopTransitions({
		key: "",
		name: "",
		nodes: [...nodes],
		transitions: [...transitions],
	});
	transitions.forEach((t, i) => {
		if (!keys.has(t.from) || !keys.has(t.to) || circles.has(t.to)) return;
		const index = base + i;
		const from = circles.get(t.from) ?? shapeBox(laid.get(t.from));
		const to = shapeBox(laid.get(t.to));
		if (!from || !to) return;
		const kind: EdgeKind = t.from === t.to ? "self" : loops.has(i) ? "loop" : "forward";
		const points =
			storedWaypoints(layout, index, from, to) ??
			(t.from === t.to ? selfLoop(from) : connectBoxes(from, to));
		const raw: RawEdge = {
			edge: { index, from: t.from, to: t.to, kind, isFailureRoute: t.on === "failure" },
			points,
		};
		const label = conditionLabel(t.condition, t.on);
		if (label) raw.label = label;
		drawing.edges.push(raw);
	});

	return {
		...bookend("start", boxes, laid, drawing),
		...bookend("end", boxes, laid, drawing),
	};
}

function nodeOf(
	n: NodeDefinition,
	box: Box,
	scope: string | undefined,
	incoming: Map<string, number>,
	outgoing: Map<string, number>,
): LaidOutNode {
	const c = centre(box);
	const name = n.name ?? n.key;
	const isScope = n.nodes !== undefined;
	const compact = !isScope && box.width < COMPACT && box.height < COMPACT;
	const mode = taskCatalog.get(n.task)?.mode;
	// Drawn small, a node that waits for, sends or throws an event, or starts or ends, was an event;
	// one that does nothing else was a gateway.
	const isEvent = n.start === true || n.end === true || EVENT_MODES.has(mode ?? "");
	const kind = mode === "send" ? "message" : boundaryKind(n.task);
	const chars = Math.max(6, Math.floor((box.width - 12) / CHAR_WIDTH));
	const node: LaidOutNode = {
		key: n.key,
		name,
		lines: compact ? wrapText(name, COMPACT_CHARS, 2) : wrapText(name, chars, isScope ? 1 : 2),
		x: round(c.x),
		y: round(c.y),
		width: box.width,
		height: box.height,
		isStart: n.start === true,
		isEnd: n.end === true,
		isInline: n.inline === true,
		isScope,
	};
	if (compact) node.shape = isEvent ? "event" : "gateway";
	if (compact && isEvent && kind !== "other") node.glyph = kind;
	if (n.role !== undefined) node.role = n.role;
	if (scope !== undefined) node.scope = scope;
	if ((incoming.get(n.key) ?? 0) > 1) node.join = n.join ?? "and";
	if ((outgoing.get(n.key) ?? 0) > 1 || n.split === "event") node.split = n.split ?? "and";
	if (n.multiInstance) node.multi = n.multiInstance.sequential ? "sequential" : "parallel";
	return node;
}

/**
 * Baton's start (or end) event, for the start (end) nodes drawn as boxes: left of the leftmost
 * (right of the rightmost), with a connector to each. Start and end nodes drawn as events are their
 * own start and end.
 */
function bookend(
	side: "start" | "end",
	boxes: NodeDefinition[],
	laid: Map<string, LaidOutNode>,
	drawing: Drawing,
): { start?: Point } | { end?: Point } {
	const targets = boxes
		.filter((n) => (side === "start" ? n.start : n.end))
		.flatMap((n) => laid.get(n.key) ?? [])
		.filter((n) => n.shape !== "event");
	if (targets.length === 0) return {};
	const edge = (x: number) => (n: LaidOutNode) => n.x + (x * n.width) / 2;
	const outer =
		side === "start"
			? targets.reduce((a, b) => (edge(-1)(b) < edge(-1)(a) ? b : a))
			: targets.reduce((a, b) => (edge(1)(b) > edge(1)(a) ? b : a));
	const point = {
		x: side === "start" ? edge(-1)(outer) - EVENT_GAP : edge(1)(outer) + EVENT_GAP,
		y: outer.y,
	};
	const circle = {
		x: point.x - EVENT_R,
		y: point.y - EVENT_R,
		width: 2 * EVENT_R,
		height: 2 * EVENT_R,
	};
	for (const n of targets) {
		const box = shapeBox(n) as Box;
		drawing.edges.push({
			edge: {
				index: -1,
				from: side === "start" ? "" : n.key,
				to: side === "start" ? n.key : "",
				kind: "forward",
				isFailureRoute: false,
			},
			points: side === "start" ? connectBoxes(circle, box) : connectBoxes(box, circle),
		});
	}
	return side === "start" ? { start: point } : { end: point };
}

function shapeBox(node: LaidOutNode | undefined): Box | undefined {
	if (!node) return undefined;
	return {
		x: node.x - node.width / 2,
		y: node.y - node.height / 2,
		width: node.width,
		height: node.height,
	};
}

/** A transition from a node to itself with no waypoints: out of the top, round, into the right. */
function selfLoop(box: Box): Point[] {
	const right = box.x + box.width;
	return [
		{ x: right - 12, y: box.y },
		{ x: right - 12, y: box.y - 18 },
		{ x: right + 18, y: box.y - 18 },
		{ x: right + 18, y: box.y + 12 },
		{ x: right, y: box.y + 12 },
	];
}

/** The edge's path through its points, its tip and its label halfway along the path. */
function edgeOf(raw: RawEdge, points: Point[]): LaidOutEdge {
	const last = points[points.length - 1] ?? { x: 0, y: 0 };
	const laid: LaidOutEdge = {
		...raw.edge,
		d: points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x},${p.y}`).join(""),
		tip: { x: last.x, y: last.y },
	};
	if (raw.label) {
		const at = halfway(points);
		laid.label = { ...raw.label, x: round(at.x), y: round(at.y - 4), anchor: "middle" };
	}
	return laid;
}

function halfway(points: Point[]): Point {
	const lengths = points.slice(1).map((p, i) => distance(points[i] as Point, p));
	let rest = lengths.reduce((a, b) => a + b, 0) / 2;
	for (let i = 0; i < lengths.length; i++) {
		const length = lengths[i] as number;
		const a = points[i] as Point;
		const b = points[i + 1] as Point;
		if (rest <= length && length > 0) {
			return { x: a.x + ((b.x - a.x) * rest) / length, y: a.y + ((b.y - a.y) * rest) / length };
		}
		rest -= length;
	}
	return points[0] ?? { x: 0, y: 0 };
}

function distance(a: Point, b: Point): number {
	return Math.hypot(b.x - a.x, b.y - a.y);
}

function countBy(keys: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
	return counts;
}

function round(n: number): number {
	return Math.round(n * 10) / 10;
}
