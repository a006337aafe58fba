// The geometry of a workflow diagram: a layered (Sugiyama) layout by dagre, top to bottom, with one
// start event above the start nodes and one end event below the end nodes. Loops are found by a
// depth-first walk from the start nodes and drawn as loops: routed around the right-hand side
// instead of being folded into the layers. Pure and deterministic; states and colours are view.ts's.
//
// Time and events: a boundary event (B1, a node `attachedTo` a host) is no box but a small circle on
// its host's bottom edge, its transitions leaving from there; dagre places their targets as if they
// left the host. A scope node (C1) is a container drawn around its inner graph, which has its own
// start and end events. dagre's compound graphs cannot take an edge to a cluster, and a scope has
// transitions in and out, so each scope's inner graph is laid out first, on its own, and the scope
// enters its level as one box of that size; the inner geometry is then moved into the box.
import dagre from "@dagrejs/dagre";
import type {
	JoinKind,
	NodeDefinition,
	SplitKind,
	TransitionDefinition,
	WorkflowDefinition,
} from "../engine/index.ts";
import { taskCatalog } from "../tasks/registry.ts";
import { transitionOffsets } from "./stored-layout.ts";

export const NODE_WIDTH = 188;
export const NODE_HEIGHT = 70;
export const EVENT_SIZE = 22;
/** A boundary event's radius: its circle straddles the host's bottom edge. */
export const BOUNDARY_RADIUS = 11;
/** Room around a scope's inner graph: the header holds its name and state. */
export const SCOPE_HEADER = 40;
const SCOPE_PAD = 10;
/** Characters per line of a node's name (13px semi-bold system font in 188px, with padding). */
const CHARS_PER_LINE = 22;
const MAX_NAME_LINES = 2;
const LABEL_CHARS = 26;
const LANE_GAP = 26;
const LANE_STEP = 18;
const MARGIN = 20;
/**
 * The height of a row of text under a host: a listening timer or message boundary shows what it
 * waits for there, one row each, so the space is kept free of the next layer.
 */
export const LABEL_ROW = 13;
/** Where boundary circles sit along a host's bottom edge: a slot every 32px, clear of the middle. */
const BOUNDARY_STEP = 32;
const BOUNDARY_FIRST = 30;
const GATEWAY_CLEARANCE = 24;

export interface Point {
	x: number;
	y: number;
}

export interface LaidOutNode {
	key: string;
	name: string;
	/** The name wrapped for the box; the last line ends in "…" when it was cut. */
	lines: string[];
	role?: string;
	/** Centre of the box. */
	x: number;
	y: number;
	width: number;
	height: number;
	isStart: boolean;
	isEnd: boolean;
	/** T9: the node's task runs inside the process's step, with no queue hop. */
	isInline: boolean;
	/** Shown only when the node has more than one incoming (join) or outgoing (split) transition. */
	join?: JoinKind;
	/** An event-based split (E1) is always shown: it changes what its waits mean. */
	split?: SplitKind;
	/** C1: a scope node, drawn as a container around its inner nodes. */
	isScope: boolean;
	/** C1: the scope node whose inner graph holds this node (absent at the top level). */
	scope?: string;
	/**
	 * C1: a scope's own start and end events, inside its container (absent in the author's drawing
	 * where its start and end nodes are drawn as events themselves).
	 */
	inner?: { start?: Point; end?: Point };
	/** M1: a multi-instance node: its instances run all at once or one after another. */
	multi?: "parallel" | "sequential";
	/**
	 * In the author's drawing (a BPMN file's), a node drawn small is drawn as what it was there: an
	 * event (a circle, with its kind's glyph) or a gateway (a diamond), its name under it.
	 */
	shape?: "event" | "gateway";
	/** An event's kind, for its glyph. */
	glyph?: BoundaryKind;
}

/** B1: what a boundary event listens for, from its task type's mode. */
export type BoundaryKind = "timer" | "message" | "error" | "other";

export interface LaidOutBoundary {
	key: string;
	name: string;
	/** The node it is attached to. */
	host: string;
	kind: BoundaryKind;
	/** B2: firing revokes the host (drawn solid; a non-interrupting one is dashed). */
	interrupting: boolean;
	/** Centre of the circle, on the host's bottom edge. */
	x: number;
	y: number;
	r: number;
	scope?: string;
	/** For a timer or a message: the row under the host where what it waits for is written. */
	labelRow?: number;
}

export type EdgeKind = "forward" | "loop" | "self";

export interface LaidOutEdge {
	/**
	 * Index into the definition's transitions, those of scopes after the top level's (the order of
	 * the compiled workflow, which arrivals point into), or -1 for the start and end connectors.
	 */
	index: number;
	from: string;
	to: string;
	kind: EdgeKind;
	isFailureRoute: boolean;
	/** The SVG path, ending on the target's border (the arrowhead is a marker). */
	d: string;
	/** Where the path ends (the arrow's tip). */
	tip: Point;
	label?: { text: string; full: string; x: number; y: number; anchor: "start" | "middle" };
}

export interface DiagramLayout {
	width: number;
	height: number;
	/** The boxes, a scope's container before its inner nodes. */
	nodes: LaidOutNode[];
	edges: LaidOutEdge[];
	boundaries: LaidOutBoundary[];
	/**
	 * The start and end events (small circles); end is absent when no node is an end node, and
	 * either is absent in the author's drawing when its start or end nodes are events themselves.
	 */
	start?: Point;
	end?: Point;
	/** Drawn as its author drew it (the definition's `layout`, from a BPMN file), not by dagre. */
	isAuthored?: boolean;
}

const START = "\u0000start";
const END = "\u0000end";

/** One graph of the definition: the top level, or a scope's inner graph. */
interface Level {
	nodes: readonly NodeDefinition[];
	/** With their index in the flattened list of transitions. */
	transitions: { def: TransitionDefinition; index: number }[];
	scope?: string;
}

/** What a level adds to the picture, moved to where its box ended up. */
interface Output {
	nodes: LaidOutNode[];
	edges: LaidOutEdge[];
	boundaries: LaidOutBoundary[];
}

/** A level laid out in its own coordinates, placed once its position is known. */
interface MeasuredLevel {
	width: number;
	height: number;
	/** Adds the level's geometry, shifted by (dx, dy); returns its start and end events. */
	place(dx: number, dy: number, out: Output): { start: Point; end?: Point };
}

/** Lays out `def`; the same definition always gives the same picture. */
export function layoutWorkflow(def: WorkflowDefinition): DiagramLayout {
	const offsets = transitionOffsets(def);
	const top = measureLevel(
		{ nodes: def.nodes, transitions: def.transitions.map((t, index) => ({ def: t, index })) },
		offsets,
	);
	const out: Output = { nodes: [], edges: [], boundaries: [] };
	const events = top.place(0, 0, out);
	const layout: DiagramLayout = {
		width: Math.ceil(top.width),
		height: Math.ceil(top.height),
		...out,
		start: events.start,
	};
	if (events.end) layout.end = events.end;
	return layout;
}

function isScopeNode(node: NodeDefinition): boolean {
	return node.nodes !== undefined;
}

/** A timer or a message boundary says what it waits for under its host; an error has no wait. */
function isLabelled(kind: BoundaryKind): boolean {
	return kind === "timer" || kind === "message";
}

/** What a boundary (or an event in the author's drawing) is, by its task type's mode. */
export function boundaryKind(task: string): BoundaryKind {
	const mode = taskCatalog.get(task)?.mode;
	if (mode === "timer" || mode === "message" || mode === "error") return mode;
	return "other";
}

function measureLevel(level: Level, offsets: Map<string, number>): MeasuredLevel {
	const keys = new Set(level.nodes.map((n) => n.key));
	// A boundary whose host is not in this graph (a draft being edited) is drawn as a box.
	const isBoundary = (n: NodeDefinition) =>
		n.attachedTo !== undefined && n.attachedTo !== n.key && keys.has(n.attachedTo);
	const boxes = level.nodes.filter((n) => !isBoundary(n));
	const boundaryDefs = level.nodes.filter(isBoundary);
	const hostOf = new Map(boundaryDefs.map((b) => [b.key, b.attachedTo as string]));
	/** A transition from a boundary leaves, for the layout, from its host. */
	const source = (from: string) => hostOf.get(from) ?? from;
	// A transition to a node of another graph (a draft being edited) cannot be drawn.
	const transitions = level.transitions.filter(
		(t) => keys.has(t.def.from) && keys.has(t.def.to) && !hostOf.has(t.def.to),
	);
	const loops = new Set(
		[
			...loopsOf(
				boxes,
				transitions.map((t) => ({ from: source(t.def.from), to: t.def.to })),
			),
		].map((i) => (transitions[i] as { index: number }).index),
	);

	const inner = new Map<string, MeasuredLevel>();
	for (const node of boxes) {
		if (!isScopeNode(node)) continue;
		const base = offsets.get(node.key) ?? 0;
		inner.set(
			node.key,
			measureLevel(
				{
					nodes: node.nodes ?? [],
					transitions: (node.transitions ?? []).map((t, i) => ({ def: t, index: base + i })),
					scope: node.key,
				},
				offsets,
			),
		);
	}
	// Rows under a host for its boundaries' words (see LABEL_ROW): part of the host for dagre.
	const labelled = (host: string) =>
		boundaryDefs.filter((b) => b.attachedTo === host && isLabelled(boundaryKind(b.task)));
	const reserve = (key: string) => {
		const rows = labelled(key).length;
		return rows > 0 ? BOUNDARY_RADIUS + rows * LABEL_ROW : 0;
	};
	const sizeOf = (key: string) => {
		const m = inner.get(key);
		if (!m) return { width: NODE_WIDTH, height: NODE_HEIGHT };
		return {
			width: Math.max(NODE_WIDTH, Math.ceil(m.width + 2 * SCOPE_PAD)),
			height: Math.ceil(m.height + SCOPE_HEADER + SCOPE_PAD),
		};
	};

	const g = new dagre.graphlib.Graph({ multigraph: true });
	g.setGraph({
		rankdir: "TB",
		nodesep: 36,
		ranksep: 48,
		edgesep: 16,
		marginx: MARGIN,
		marginy: 12,
	});
	g.setDefaultEdgeLabel(() => ({}));

	const startKeys = boxes.filter((n) => n.start).map((n) => n.key);
	const endKeys = boxes.filter((n) => n.end).map((n) => n.key);
	g.setNode(START, { width: EVENT_SIZE, height: EVENT_SIZE });
	for (const node of boxes) {
		const size = sizeOf(node.key);
		g.setNode(node.key, { width: size.width, height: size.height + reserve(node.key) });
	}
	if (endKeys.length > 0) g.setNode(END, { width: EVENT_SIZE, height: EVENT_SIZE });
	// Heavy edges from the start event keep every start node on the first layer.
	for (const key of startKeys) g.setEdge(START, key, { weight: 8, minlen: 1 }, `s:${key}`);
	for (const t of transitions) {
		if (loops.has(t.index)) continue;
		const label = conditionLabel(t.def.condition, t.def.on);
		const edge: Record<string, unknown> = { weight: 1, minlen: 1 };
		if (label)
			Object.assign(edge, { width: label.text.length * 6.4 + 8, height: 16, labelpos: "c" });
		g.setEdge(source(t.def.from), t.def.to, edge, `t${t.index}`);
	}
	for (const key of endKeys) g.setEdge(key, END, { weight: 2, minlen: 1 }, `e:${key}`);
	dagre.layout(g);

	const incoming = countBy(level.transitions.map((t) => t.def.to));
	const outgoing = countBy(level.transitions.map((t) => t.def.from));
	const nodes: LaidOutNode[] = boxes.map((n) => {
		const placed = g.node(n.key);
		const name = n.name ?? n.key;
		const size = sizeOf(n.key);
		const scope = isScopeNode(n);
		const laid: LaidOutNode = {
			key: n.key,
			name,
			lines: scope
				? wrapText(name, Math.floor((size.width - 24) / 7.5), 1)
				: wrapText(name, CHARS_PER_LINE, MAX_NAME_LINES),
			x: round(placed.x ?? 0),
			// The box is the top of what dagre placed; the rows for words are under it.
			y: round((placed.y ?? 0) - reserve(n.key) / 2),
			width: size.width,
			height: size.height,
			isStart: n.start === true,
			isEnd: n.end === true,
			isInline: n.inline === true,
			isScope: scope,
		};
		if (n.role !== undefined) laid.role = n.role;
		if (level.scope !== undefined) laid.scope = level.scope;
		if ((incoming.get(n.key) ?? 0) > 1) laid.join = n.join ?? "and";
		if ((outgoing.get(n.key) ?? 0) > 1 || n.split === "event") laid.split = n.split ?? "and";
		if (n.multiInstance) laid.multi = n.multiInstance.sequential ? "sequential" : "parallel";
		return laid;
	});
	const byKey = new Map(nodes.map((n) => [n.key, n]));

	const boundaries: LaidOutBoundary[] = [];
	// Circles in the order of where their arrows go, left to right, so the arrows do not cross.
	const targetX = (key: string) => {
		const to = transitions.find((t) => t.def.from === key)?.def.to;
		return to === undefined ? Number.POSITIVE_INFINITY : (g.node(to)?.x ?? 0);
	};
	for (const host of nodes) {
		const attached = boundaryDefs
			.filter((b) => b.attachedTo === host.key)
			.map((b, i) => ({ b, i, x: targetX(b.key) }))
			.sort((a, b) => a.x - b.x || a.i - b.i)
			.map(({ b }) => b);
		// Rows top to bottom in the circles' order, left to right: a staircase of words.
		const rows = attached.filter((b) => isLabelled(boundaryKind(b.task))).map((b) => b.key);
		const xs = boundarySlots(host.width, attached.length);
		attached.forEach((b, i) => {
			const boundary: LaidOutBoundary = {
				key: b.key,
				name: b.name ?? b.key,
				host: host.key,
				kind: boundaryKind(b.task),
				interrupting: b.interrupting !== false,
				x: round(host.x - host.width / 2 + (xs[i] ?? 0)),
				y: round(host.y + host.height / 2),
				r: BOUNDARY_RADIUS,
			};
			if (level.scope !== undefined) boundary.scope = level.scope;
			if (rows.includes(b.key)) boundary.labelRow = rows.indexOf(b.key);
			boundaries.push(boundary);
		});
	}
	const circles = new Map(boundaries.map((b) => [b.key, b]));

	// Loops: one lane each, to the right of everything between the two nodes, outermost last.
	let width = g.graph().width ?? 0;
	const lanes = [...loops].sort(
		(a, b) => loopSpan(level, byKey, source, a) - loopSpan(level, byKey, source, b),
	);
	const laneCount = new Map<string, number>();
	/** Each loop as a function of where the level ends up. */
	const loopDrawings: ((dx: number, dy: number) => LaidOutEdge)[] = [];
	lanes.forEach((i, lane) => {
		const t = level.transitions.find((x) => x.index === i)?.def;
		const from = t && byKey.get(source(t.from));
		const to = t && byKey.get(t.to);
		if (!t || !from || !to) return;
		const circle = circles.get(t.from);
		const label = conditionLabel(t.condition, t.on);
		const base = { index: i, from: t.from, to: t.to, isFailureRoute: t.on === "failure" };
		// Several loops into or out of one node use different heights on its side.
		const outSlot = bump(laneCount, `out:${from.key}`);
		const inSlot = bump(laneCount, `in:${to.key}`);
		if (from === to && !circle) {
			const x = from.x + from.width / 2;
			loopDrawings.push((dx, dy) => {
				const laid: LaidOutEdge = {
					...base,
					kind: "self",
					d: selfLoopPath(x + dx, from.y + dy, 12 + outSlot * 8),
					tip: { x: x + dx, y: from.y + dy + 12 },
				};
				if (label) {
					laid.label = {
						...label,
						x: x + dx + 40 + outSlot * 8,
						y: from.y + dy + 4,
						anchor: "start",
					};
				}
				return laid;
			});
			width = Math.max(width, x + 48 + (label ? label.text.length * 6.4 : 0) + MARGIN);
			return;
		}
		const top = Math.min(from.y - from.height / 2, to.y - to.height / 2);
		const bottom = Math.max(from.y + from.height / 2, to.y + to.height / 2);
		const rightmost = Math.max(
			...nodes
				.filter((n) => n.y + n.height / 2 >= top && n.y - n.height / 2 <= bottom)
				.map((n) => n.x + n.width / 2),
		);
		const laneX = round(rightmost + LANE_GAP + lane * LANE_STEP);
		// From a boundary the loop drops out of the circle, then turns right under the host.
		const y1 = circle ? circle.y + circle.r + 8 + outSlot * 8 : from.y + 10 - outSlot * 8;
		const y2 = to.y - 10 + inSlot * 8;
		loopDrawings.push((dx, dy) => {
			const laid: LaidOutEdge = {
				...base,
				kind: from === to ? "self" : "loop",
				d: lanePath(
					circle ? circle.x + dx : from.x + from.width / 2 + dx,
					y1 + dy,
					laneX + dx,
					to.x + to.width / 2 + dx,
					y2 + dy,
					circle ? { x: circle.x + dx, y: circle.y + circle.r + dy } : undefined,
				),
				tip: { x: to.x + to.width / 2 + dx, y: y2 + dy },
			};
			if (label) {
				laid.label = {
					...label,
					x: laneX + dx + 6,
					y: round((y1 + y2) / 2 + dy),
					anchor: "start",
				};
			}
			return laid;
		});
		width = Math.max(width, laneX + 8 + (label ? label.text.length * 6.4 + 6 : 0) + MARGIN);
	});
	const height = g.graph().height ?? 0;

	return {
		width,
		height,
		place(dx, dy, out) {
			const shift = (p: Point): Point => ({ x: round(p.x + dx), y: round(p.y + dy) });
			const shiftAll = (points: Point[] | undefined) => (points ?? []).map(shift);
			for (const node of nodes) {
				const placed: LaidOutNode = { ...node, x: round(node.x + dx), y: round(node.y + dy) };
				out.nodes.push(placed);
				const m = inner.get(node.key);
				if (m) {
					const left = placed.x - placed.width / 2 + (placed.width - m.width) / 2;
					const topY = placed.y - placed.height / 2 + SCOPE_HEADER;
					placed.inner = m.place(left, topY, out);
				}
			}
			for (const b of boundaries) out.boundaries.push({ ...b, ...shift(b) });
			for (const key of startKeys) {
				out.edges.push(
					connector(-1, "", key, shiftAll(g.edge({ v: START, w: key, name: `s:${key}` })?.points)),
				);
			}
			for (const t of transitions) {
				if (loops.has(t.index)) continue;
				const edge = g.edge({ v: source(t.def.from), w: t.def.to, name: `t${t.index}` });
				let points = shiftAll(edge?.points);
				/** A boundary's arrow first drops straight out of its circle, from here. */
				let leave: Point | undefined;
				const circle = circles.get(t.def.from);
				const host = byKey.get(source(t.def.from));
				if (circle) {
					// Out of the circle's bottom, straight down first, then the rest of dagre's route
					// that lies below: a point beside the host would make the curve turn back.
					const c = shift(circle);
					// Down past the rows of words under the host, so the arrow leaves the host cleanly.
					const host = byKey.get(circle.host);
					const depth = host ? reserve(host.key) : 0;
					const drop = { x: c.x, y: c.y + Math.max(circle.r + 10, depth) };
					const rest = points
						.slice(1)
						.filter((p, i, all) => p.y > drop.y + 8 || i === all.length - 1);
					points = [drop, ...rest];
					leave = { x: c.x, y: c.y + circle.r };
				} else if (host && reserve(host.key) > 0 && points[0]) {
					// dagre's route leaves the rows under the box: it starts at the box itself.
					points[0] = { x: round(host.x + dx), y: round(host.y + host.height / 2 + dy) };
				}
				const laid = connector(t.index, t.def.from, t.def.to, points);
				if (leave) laid.d = `M${leave.x},${leave.y}${laid.d.replace(/^M/, "L")}`;
				laid.isFailureRoute = t.def.on === "failure";
				const label = conditionLabel(t.def.condition, t.def.on);
				if (label && edge?.x !== undefined && edge.y !== undefined) {
					laid.label = {
						...label,
						x: round(edge.x + dx),
						y: round(edge.y + 4 + dy),
						anchor: "middle",
					};
				}
				out.edges.push(laid);
			}
			for (const key of endKeys) {
				out.edges.push(
					connector(-1, key, "", shiftAll(g.edge({ v: key, w: END, name: `e:${key}` })?.points)),
				);
			}
			for (const draw of loopDrawings) out.edges.push(draw(dx, dy));
			const events: { start: Point; end?: Point } = { start: shift(pointOf(g.node(START))) };
			if (endKeys.length > 0) events.end = shift(pointOf(g.node(END)));
			return events;
		},
	};
}

/**
 * Where `count` boundary circles sit along a bottom edge `width` wide (x from the left): every
 * BOUNDARY_STEP from the left, skipping the middle where a split's gateway sits; spread evenly
 * when more than fit.
 */
export function boundarySlots(width: number, count: number): number[] {
	const slots: number[] = [];
	for (let x = BOUNDARY_FIRST; x <= width - BOUNDARY_FIRST / 2 - 4; x += BOUNDARY_STEP) {
		if (Math.abs(x - width / 2) >= GATEWAY_CLEARANCE) slots.push(x);
	}
	if (count <= slots.length) return slots.slice(0, count);
	return Array.from({ length: count }, (_, i) => round(((i + 1) * width) / (count + 1)));
}

/**
 * The transitions that close a loop: those reaching a node still on the path of a depth-first walk
 * from the start nodes (definition order), then from nodes no start reaches. Self-transitions too.
 * A boundary's transitions count as leaving its host: the host is where the flow was.
 */
export function findLoopTransitions(def: WorkflowDefinition): Set<number> {
	const hostOf = new Map(
		def.nodes.filter((n) => n.attachedTo !== undefined).map((n) => [n.key, n.attachedTo]),
	);
	return loopsOf(
		def.nodes.filter((n) => !hostOf.has(n.key)),
		def.transitions.map((t) => ({ from: hostOf.get(t.from) ?? t.from, to: t.to })),
	);
}

/** findLoopTransitions over one graph: indexes into `transitions`. */
function loopsOf(
	nodes: readonly NodeDefinition[],
	transitions: readonly { from: string; to: string }[],
): Set<number> {
	const out = new Map<string, number[]>();
	transitions.forEach((t, i) => {
		const list = out.get(t.from) ?? [];
		list.push(i);
		out.set(t.from, list);
	});
	const known = new Set(nodes.map((n) => n.key));
	const loops = new Set<number>();
	const done = new Set<string>();
	const onPath = new Set<string>();
	const visit = (key: string) => {
		// Iterative, so a long chain of nodes cannot overflow the stack.
		const stack: { key: string; next: number }[] = [{ key, next: 0 }];
		onPath.add(key);
		while (stack.length > 0) {
			const top = stack[stack.length - 1] as { key: string; next: number };
			const edges = out.get(top.key) ?? [];
			if (top.next >= edges.length) {
				stack.pop();
				onPath.delete(top.key);
				done.add(top.key);
				continue;
			}
			const i = edges[top.next++] as number;
			const to = transitions[i]?.to as string;
			if (onPath.has(to)) loops.add(i);
			else if (!done.has(to) && known.has(to)) {
				onPath.add(to);
				stack.push({ key: to, next: 0 });
			}
		}
	};
	for (const n of nodes) if (n.start && !done.has(n.key)) visit(n.key);
	for (const n of nodes) if (!done.has(n.key)) visit(n.key);
	return loops;
}

/** Wraps `text` on spaces into at most `maxLines` lines of about `width` characters. */
export function wrapText(text: string, width: number, maxLines: number): string[] {
	const words = text.trim().split(/\s+/).filter(Boolean);
	const lines: string[] = [];
	let line = "";
	for (const word of words) {
		const candidate = line ? `${line} ${word}` : word;
		if (candidate.length <= width || !line) {
			line = candidate;
		} else {
			lines.push(line);
			line = word;
		}
	}
	if (line) lines.push(line);
	const kept = lines
		.slice(0, maxLines)
		.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
	if (lines.length > maxLines) {
		const last = kept[maxLines - 1] ?? "";
		kept[maxLines - 1] = `${last.slice(0, Math.max(0, width - 1)).replace(/…$/, "")}…`;
	}
	return kept.length > 0 ? kept : [""];
}

/** The label of a transition: its condition, shortened (`= result.x = 1` reads `x = 1`). */
export function conditionLabel(
	condition: WorkflowDefinition["transitions"][number]["condition"],
	on: "success" | "failure" | undefined,
): { text: string; full: string } | undefined {
	const short: string[] = [];
	const full: string[] = [];
	if (on === "failure") {
		short.push("on failure");
		full.push("on failure");
	}
	if (condition !== undefined && condition !== "") {
		const raw = String(condition);
		full.push(raw);
		short.push(
			raw.startsWith("=")
				? raw
						.slice(1)
						.trim()
						.replace(/\bresult\./g, "")
				: `= ${raw}`,
		);
	}
	if (full.length === 0) return undefined;
	const text = short.join(": ");
	return {
		text: text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text,
		full: full.join(": "),
	};
}

function connector(index: number, from: string, to: string, points: Point[]): LaidOutEdge {
	const last = points[points.length - 1];
	return {
		index,
		from,
		to,
		kind: "forward",
		isFailureRoute: false,
		d: smoothPath(points),
		tip: { x: round(last?.x ?? 0), y: round(last?.y ?? 0) },
	};
}

/** A smooth curve through dagre's points (Catmull-Rom turned into cubic Béziers). */
export function smoothPath(points: Point[]): string {
	const p = points.map((q) => ({ x: round(q.x), y: round(q.y) }));
	if (p.length === 0) return "";
	const first = p[0] as Point;
	let d = `M${first.x},${first.y}`;
	if (p.length === 2) {
		const last = p[1] as Point;
		return `${d}L${last.x},${last.y}`;
	}
	for (let i = 0; i < p.length - 1; i++) {
		const p0 = p[i - 1] ?? (p[i] as Point);
		const p1 = p[i] as Point;
		const p2 = p[i + 1] as Point;
		const p3 = p[i + 2] ?? p2;
		const c1 = { x: round(p1.x + (p2.x - p0.x) / 6), y: round(p1.y + (p2.y - p0.y) / 6) };
		const c2 = { x: round(p2.x - (p3.x - p1.x) / 6), y: round(p2.y - (p3.y - p1.y) / 6) };
		d += `C${c1.x},${c1.y} ${c2.x},${c2.y} ${p2.x},${p2.y}`;
	}
	return d;
}

/**
 * Out of the source's right side (or down out of a boundary's circle at `from`), along the lane,
 * back into the target's right side.
 */
function lanePath(
	x1: number,
	y1: number,
	laneX: number,
	x2: number,
	y2: number,
	from?: Point,
): string {
	const r = 10;
	const up = y2 < y1 ? -1 : 1;
	return [
		from ? `M${round(from.x)},${round(from.y)}V${round(y1)}` : `M${round(x1)},${round(y1)}`,
		`H${round(laneX - r)}`,
		`Q${round(laneX)},${round(y1)} ${round(laneX)},${round(y1 + up * r)}`,
		`V${round(y2 - up * r)}`,
		`Q${round(laneX)},${round(y2)} ${round(laneX - r)},${round(y2)}`,
		`H${round(x2)}`,
	].join("");
}

/** A small loop on the node's right side, leaving above the middle and coming back below it. */
function selfLoopPath(x: number, y: number, reach: number): string {
	const out = 28 + reach;
	return `M${round(x)},${round(y - 12)}C${round(x + out)},${round(y - 30)} ${round(x + out)},${round(y + 30)} ${round(x)},${round(y + 12)}`;
}

function loopSpan(
	level: Level,
	byKey: Map<string, LaidOutNode>,
	source: (from: string) => string,
	i: number,
): number {
	const t = level.transitions.find((x) => x.index === i)?.def;
	const a = t && byKey.get(source(t.from));
	const b = t && byKey.get(t.to);
	return a && b ? Math.abs(a.y - b.y) : 0;
}

function bump(counts: Map<string, number>, key: string): number {
	const n = counts.get(key) ?? 0;
	counts.set(key, n + 1);
	return n;
}

function countBy(keys: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
	return counts;
}

function pointOf(label: { x?: number; y?: number } | undefined): Point {
	return { x: round(label?.x ?? 0), y: round(label?.y ?? 0) };
}

function round(n: number): number {
	return Math.round(n * 10) / 10;
}
