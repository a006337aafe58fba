// The shape of a level once its nodes and transitions are known: link events joined, joins and
// splits as BPMN means them, implicit starts and ends, and the places where Baton's first end (P1)
// would end more than BPMN does: said, or (beside a non-interrupting event) made a path's stop.

import type { ModdleElement } from "bpmn-moddle";
import type { JoinKind, NodeDefinition, SplitKind, TransitionDefinition } from "../engine/index.ts";
import type { Graph, ImportContext, Placed } from "./import-context.ts";
import { oneLine } from "./import-report.ts";
import { list } from "./moddle-access.ts";

export const GATEWAYS: Record<string, { join: JoinKind; split: SplitKind }> = {
	"bpmn:ExclusiveGateway": { join: "xor", split: "xor" },
	"bpmn:ParallelGateway": { join: "and", split: "and" },
	// An inclusive split is Baton's AND split with conditions: every route whose condition holds.
	"bpmn:InclusiveGateway": { join: "or", split: "and" },
	"bpmn:EventBasedGateway": { join: "xor", split: "event" },
};

/** Link events are a jump: each throw leads to the catch of the same name in its flow. */
export function links(placed: Placed[], ctx: ImportContext): TransitionDefinition[] {
	const linkName = (p: Placed) => {
		const definition = list(p.el.eventDefinitions)[0];
		if (definition?.$type !== "bpmn:LinkEventDefinition") return undefined;
		const name = definition.name ?? p.el.name;
		return typeof name === "string" ? oneLine(name) : "";
	};
	const catches = placed.filter(
		(p) => p.el.$type === "bpmn:IntermediateCatchEvent" && linkName(p) !== undefined,
	);
	const out: TransitionDefinition[] = [];
	for (const p of placed) {
		if (p.el.$type !== "bpmn:IntermediateThrowEvent") continue;
		const name = linkName(p);
		if (name === undefined) continue;
		const target = catches.find((c) => linkName(c) === name);
		if (!target) {
			ctx.report.refuse(
				p.el,
				"LINK_WITHOUT_CATCH",
				`no link catch event is named "${name}" in its flow`,
			);
			continue;
		}
		out.push({ from: p.node.key, to: target.node.key });
	}
	return out;
}

/** BPMN joins: a gateway's by its kind; any other node with several ways in merges each (XOR). */
export function joinsAndSplits(placed: Placed[], graph: Graph): void {
	for (const { el, node } of placed) {
		const ins = graph.transitions.filter((t) => t.to === node.key).length;
		const outs = graph.transitions.filter((t) => t.from === node.key && t.on !== "failure").length;
		const kinds = GATEWAYS[el.$type];
		if (kinds) {
			if (ins > 1) node.join = kinds.join;
			if (outs > 1) node.split = kinds.split;
		} else if (ins > 1) node.join = "xor";
	}
}

/**
 * BPMN starts a flow with no start event at its steps that nothing leads to, and ends it, when it
 * has no end event, at the steps that lead nowhere.
 */
export function implicitStartsAndEnds(
	elements: ModdleElement[],
	graph: Graph,
	isHandler: boolean,
): void {
	const listening = (n: NodeDefinition) => n.attachedTo !== undefined;
	if (!isHandler && !elements.some((e) => e.$type === "bpmn:StartEvent")) {
		for (const n of graph.nodes) {
			if (!listening(n) && !graph.transitions.some((t) => t.to === n.key)) n.start = true;
		}
	}
	if (!elements.some((e) => e.$type === "bpmn:EndEvent")) {
		for (const n of graph.nodes) {
			if (listening(n) && n.interrupting === false) continue;
			if (!graph.transitions.some((t) => t.from === n.key)) n.end = true;
		}
	}
}

/** P1 ends a process at its first end: parallel branches ending apart no longer wait for each other. */
export function warnParallelEnds(container: ModdleElement, graph: Graph, ctx: ImportContext): void {
	const ends = graph.nodes.filter((n) => n.end);
	const parallel = graph.nodes.some(
		(n) =>
			(n.split ?? "and") === "and" &&
			graph.transitions.filter(
				(t) => t.from === n.key && t.condition === undefined && t.on !== "failure",
			).length > 1,
	);
	if (ends.length > 1 && parallel) {
		ctx.report.warn(
			container,
			"FIRST_END_ENDS",
			`parallel branches reach ${ends.length} end events: Baton ends at the first one reached and stops the others (P1); join the branches before one end to wait for all`,
		);
	}
}

/**
 * A path that leaves a non-interrupting event runs beside its host: in BPMN its end event ends only
 * that path; in Baton the first end ends the process (P1). An end that only such paths reach is
 * where the path stops (an error end still fails, X1).
 */
export function sidePathEnds(placed: Placed[], graph: Graph, ctx: ImportContext): void {
	const next = (key: string) => [
		...graph.transitions.filter((t) => t.from === key).map((t) => t.to),
		...graph.nodes
			.filter((n) => n.attachedTo === key && n.interrupting !== false)
			.map((n) => n.key),
	];
	const main = reach(
		graph.nodes.filter((n) => n.start).map((n) => n.key),
		next,
	);
	const beside = reach(
		graph.nodes
			.filter((n) => n.attachedTo !== undefined && n.interrupting === false)
			.map((n) => n.key),
		next,
	);
	for (const { el, node } of placed) {
		if (!node.end || node.task === "error" || main.has(node.key) || !beside.has(node.key)) continue;
		delete node.end;
		ctx.report.warn(
			el,
			"SIDE_PATH_END",
			"it ends a path that runs beside its host (after a non-interrupting event): the path stops there, and the process goes on",
		);
	}
}

function reach(from: string[], next: (key: string) => string[]): Set<string> {
	const seen = new Set(from);
	const queue = [...from];
	for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
		for (const to of next(key)) {
			if (!seen.has(to)) {
				seen.add(to);
				queue.push(to);
			}
		}
	}
	return seen;
}
