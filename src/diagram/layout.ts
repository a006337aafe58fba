// The geometry of a workflow diagram: a layered (Sugiyama) layout by dagre, top to bottom, with one
// start event above the start nodes and one end event below the end nodes. Loops are found by a
// depth-first walk from the start nodes and drawn as loops: routed around the right-hand side
// instead of being folded into the layers. Pure and deterministic; states and colours are view.ts's.
import dagre from "@dagrejs/dagre";
import type { JoinKind, SplitKind, WorkflowDefinition } from "../engine/index.ts";

export const NODE_WIDTH = 188;
export const NODE_HEIGHT = 70;
export const EVENT_SIZE = 22;
/** Characters per line of a node's name (13px semi-bold system font in 188px, with padding). */
const CHARS_PER_LINE = 22;
const MAX_NAME_LINES = 2;
const LABEL_CHARS = 26;
const LANE_GAP = 26;
const LANE_STEP = 18;
const MARGIN = 20;

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
	split?: SplitKind;
}

export type EdgeKind = "forward" | "loop" | "self";

export interface LaidOutEdge {
	/** Index into the definition's transitions, or -1 for the start and end event connectors. */
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
	nodes: LaidOutNode[];
	edges: LaidOutEdge[];
	/** The start and end events (small circles); end is absent when no node is an end node. */
	start: Point;
	end?: Point;
}

const START = "\u0000start";
const END = "\u0000end";

/** Lays out `def`; the same definition always gives the same picture. */
export function layoutWorkflow(def: WorkflowDefinition): DiagramLayout {
	const loops = findLoopTransitions(def);
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

	const startKeys = def.nodes.filter((n) => n.start).map((n) => n.key);
	const endKeys = def.nodes.filter((n) => n.end).map((n) => n.key);
	g.setNode(START, { width: EVENT_SIZE, height: EVENT_SIZE });
	for (const node of def.nodes) g.setNode(node.key, { width: NODE_WIDTH, height: NODE_HEIGHT });
	if (endKeys.length > 0) g.setNode(END, { width: EVENT_SIZE, height: EVENT_SIZE });
	// Heavy edges from the start event keep every start node on the first layer.
	for (const key of startKeys) g.setEdge(START, key, { weight: 8, minlen: 1 }, `s:${key}`);
	def.transitions.forEach((t, i) => {
		if (loops.has(i)) return;
		const label = conditionLabel(t.condition, t.on);
		const edge: Record<string, unknown> = { weight: 1, minlen: 1 };
		if (label)
			Object.assign(edge, { width: label.text.length * 6.4 + 8, height: 16, labelpos: "c" });
		g.setEdge(t.from, t.to, edge, `t${i}`);
	});
	for (const key of endKeys) g.setEdge(key, END, { weight: 2, minlen: 1 }, `e:${key}`);
	dagre.layout(g);

	const incoming = countBy(def.transitions.map((t) => t.to));
	const outgoing = countBy(def.transitions.map((t) => t.from));
	const nodes: LaidOutNode[] = def.nodes.map((n) => {
		const placed = g.node(n.key);
		const name = n.name ?? n.key;
		const laid: LaidOutNode = {
			key: n.key,
			name,
			lines: wrapText(name, CHARS_PER_LINE, MAX_NAME_LINES),
			x: round(placed.x ?? 0),
			y: round(placed.y ?? 0),
			width: NODE_WIDTH,
			height: NODE_HEIGHT,
			isStart: n.start === true,
			isEnd: n.end === true,
			isInline: n.inline === true,
		};
		if (n.role !== undefined) laid.role = n.role;
		if ((incoming.get(n.key) ?? 0) > 1) laid.join = n.join ?? "and";
		if ((outgoing.get(n.key) ?? 0) > 1) laid.split = n.split ?? "and";
		return laid;
	});
	const byKey = new Map(nodes.map((n) => [n.key, n]));

	const edges: LaidOutEdge[] = [];
	const startPoint = pointOf(g.node(START));
	for (const key of startKeys) {
		edges.push(connector(-1, "", key, g.edge({ v: START, w: key, name: `s:${key}` })?.points));
	}
	def.transitions.forEach((t, i) => {
		if (loops.has(i)) return;
		const edge = g.edge({ v: t.from, w: t.to, name: `t${i}` });
		const laid = connector(i, t.from, t.to, edge?.points);
		laid.isFailureRoute = t.on === "failure";
		const label = conditionLabel(t.condition, t.on);
		if (label && edge?.x !== undefined && edge.y !== undefined) {
			laid.label = { ...label, x: round(edge.x), y: round(edge.y + 4), anchor: "middle" };
		}
		edges.push(laid);
	});
	for (const key of endKeys) {
		edges.push(connector(-1, key, "", g.edge({ v: key, w: END, name: `e:${key}` })?.points));
	}

	// Loops: one lane each, to the right of everything between the two nodes, outermost last.
	let width = g.graph().width ?? 0;
	const lanes = [...loops].sort((a, b) => loopSpan(def, byKey, a) - loopSpan(def, byKey, b));
	const laneCount = new Map<string, number>();
	lanes.forEach((i, lane) => {
		const t = def.transitions[i];
		const from = t && byKey.get(t.from);
		const to = t && byKey.get(t.to);
		if (!t || !from || !to) return;
		const label = conditionLabel(t.condition, t.on);
		const laid: LaidOutEdge = {
			index: i,
			from: t.from,
			to: t.to,
			kind: from === to ? "self" : "loop",
			isFailureRoute: t.on === "failure",
			d: "",
			tip: { x: 0, y: 0 },
		};
		// Several loops into or out of one node use different heights on its side.
		const outSlot = bump(laneCount, `out:${from.key}`);
		const inSlot = bump(laneCount, `in:${to.key}`);
		if (from === to) {
			const x = from.x + from.width / 2;
			laid.d = selfLoopPath(x, from.y, 12 + outSlot * 8);
			laid.tip = { x, y: from.y + 12 };
			if (label) {
				laid.label = { ...label, x: x + 40 + outSlot * 8, y: from.y + 4, anchor: "start" };
			}
			width = Math.max(width, x + 48 + (label ? label.text.length * 6.4 : 0) + MARGIN);
		} else {
			const top = Math.min(from.y, to.y) - NODE_HEIGHT / 2;
			const bottom = Math.max(from.y, to.y) + NODE_HEIGHT / 2;
			const rightmost = Math.max(
				...nodes.filter((n) => n.y >= top && n.y <= bottom).map((n) => n.x + n.width / 2),
			);
			const laneX = round(rightmost + LANE_GAP + lane * LANE_STEP);
			const y1 = from.y + 10 - outSlot * 8;
			const y2 = to.y - 10 + inSlot * 8;
			laid.d = lanePath(from.x + from.width / 2, y1, laneX, to.x + to.width / 2, y2);
			laid.tip = { x: to.x + to.width / 2, y: y2 };
			if (label) {
				laid.label = { ...label, x: laneX + 6, y: round((y1 + y2) / 2), anchor: "start" };
			}
			width = Math.max(width, laneX + 8 + (label ? label.text.length * 6.4 + 6 : 0) + MARGIN);
		}
		edges.push(laid);
	});

	const layout: DiagramLayout = {
		width: Math.ceil(width),
		height: Math.ceil(g.graph().height ?? 0),
		nodes,
		edges,
		start: startPoint,
	};
	if (endKeys.length > 0) layout.end = pointOf(g.node(END));
	return layout;
}

/**
 * The transitions that close a loop: those reaching a node still on the path of a depth-first walk
 * from the start nodes (definition order), then from nodes no start reaches. Self-transitions too.
 */
export function findLoopTransitions(def: WorkflowDefinition): Set<number> {
	const out = new Map<string, number[]>();
	def.transitions.forEach((t, i) => {
		const list = out.get(t.from) ?? [];
		list.push(i);
		out.set(t.from, list);
	});
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
			const to = def.transitions[i]?.to as string;
			if (onPath.has(to)) loops.add(i);
			else if (!done.has(to) && def.nodes.some((n) => n.key === to)) {
				onPath.add(to);
				stack.push({ key: to, next: 0 });
			}
		}
	};
	for (const n of def.nodes) if (n.start && !done.has(n.key)) visit(n.key);
	for (const n of def.nodes) if (!done.has(n.key)) visit(n.key);
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

function connector(
	index: number,
	from: string,
	to: string,
	points: Point[] | undefined,
): LaidOutEdge {
	const p = points ?? [];
	const last = p[p.length - 1];
	return {
		index,
		from,
		to,
		kind: "forward",
		isFailureRoute: false,
		d: smoothPath(p),
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

/** Out of the source's right side, along the lane, back into the target's right side. */
function lanePath(x1: number, y1: number, laneX: number, x2: number, y2: number): string {
	const r = 10;
	const up = y2 < y1 ? -1 : 1;
	return [
		`M${x1},${y1}`,
		`H${laneX - r}`,
		`Q${laneX},${y1} ${laneX},${y1 + up * r}`,
		`V${y2 - up * r}`,
		`Q${laneX},${y2} ${laneX - r},${y2}`,
		`H${x2}`,
	].join("");
}

/** A small loop on the node's right side, leaving above the middle and coming back below it. */
function selfLoopPath(x: number, y: number, reach: number): string {
	const out = 28 + reach;
	return `M${x},${y - 12}C${x + out},${y - 30} ${x + out},${y + 30} ${x},${y + 12}`;
}

function loopSpan(def: WorkflowDefinition, byKey: Map<string, LaidOutNode>, i: number): number {
	const t = def.transitions[i];
	const a = t && byKey.get(t.from);
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
