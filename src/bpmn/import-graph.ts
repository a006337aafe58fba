// A process or subprocess's flow elements as a Baton graph: one node per flow node (events,
// gateways, activities), one transition per sequence flow (import-routes.ts), then the shape BPMN
// gives them (import-flow-shape.ts). Event subprocesses listen on the flow they sit in: that flow
// becomes a scope, each event subprocess a boundary on it and the path that follows.
import type { ModdleElement } from "bpmn-moddle";
import type { NodeDefinition } from "../engine/index.ts";
import { activityNode } from "./import-activities.ts";
import { batonAttributes, batonStructure, batonTask } from "./import-baton.ts";
import type { Graph, ImportContext, Placed } from "./import-context.ts";
import { endEvent, intermediateEvent, listeningEvent, startEvent } from "./import-events.ts";
import {
	GATEWAYS,
	implicitStartsAndEnds,
	joinsAndSplits,
	links,
	sidePathEnds,
	warnParallelEnds,
} from "./import-flow-shape.ts";
import { oneLine } from "./import-report.ts";
import { routes } from "./import-routes.ts";
import { scheduleOf } from "./import-timers.ts";
import { documentationOf, extension, list, ref } from "./moddle-access.ts";
import { BATON_NS } from "./vocabulary.ts";

/** Where a graph sits: the process itself, or inside a subprocess (C1). */
export type Place = "process" | "scope";

const ACTIVITIES = new Set([
	"bpmn:Task",
	"bpmn:UserTask",
	"bpmn:ManualTask",
	"bpmn:ServiceTask",
	"bpmn:ScriptTask",
	"bpmn:SendTask",
	"bpmn:BusinessRuleTask",
	"bpmn:ReceiveTask",
	"bpmn:CallActivity",
	"bpmn:SubProcess",
	"bpmn:Transaction",
	"bpmn:AdHocSubProcess",
]);

/** Present in modelers' files, carry no behaviour: ignored with a warning. */
const IGNORED = new Set(["bpmn:DataObjectReference", "bpmn:DataStoreReference", "bpmn:DataObject"]);

/** The start event of an event subprocess: a listener on the flow it interrupts or joins. */
interface Trigger {
	start: ModdleElement;
	host: string;
	interrupting: boolean;
}

/** The graph of a process or a subprocess, its event subprocesses included. */
export function importContainer(container: ModdleElement, place: Place, ctx: ImportContext): Graph {
	const elements = list(container.flowElements);
	const handlers = elements.filter(
		(e) => e.$type === "bpmn:SubProcess" && e.triggeredByEvent === true,
	);
	const main = importFlow(
		elements.filter((e) => !handlers.includes(e)),
		place,
		ctx,
	);
	if (!ctx.fromBaton) warnParallelEnds(container, main, ctx);
	if (handlers.length === 0) return main;
	return withEventSubprocesses(container, main, handlers, place, ctx);
}

/**
 * Event subprocesses listen while the flow they sit in runs: the flow becomes a scope (C1) that
 * ends the process when it ends, each event subprocess's start a boundary on it (B1, B4), and the
 * event subprocess's steps the path after that boundary.
 */
function withEventSubprocesses(
	container: ModdleElement,
	main: Graph,
	handlers: ModdleElement[],
	place: Place,
	ctx: ImportContext,
): Graph {
	if (place === "process" && main.nodes.some((n) => n.start && n.task === "message")) {
		ctx.report.refuse(
			container,
			"MESSAGE_START_WITH_EVENT_SUBPROCESS",
			"a message start together with event subprocesses is not supported: the flow they listen on becomes a scope, and a message start belongs to the top level (S4)",
		);
	}
	const scopeKey = ctx.keys.claim(`${container.id ?? "process"}_flow`);
	const scope: NodeDefinition = {
		key: scopeKey,
		name: container.name?.trim() ? oneLine(container.name).slice(0, 100) : "Main flow",
		task: "scope",
		start: true,
		end: true,
		nodes: main.nodes,
		transitions: main.transitions,
	};
	// The pool is drawn around the flow: it is the scope's box.
	const pool = place === "process" ? ctx.participant?.id : undefined;
	if (pool) ctx.drawnNodes.set(pool, scopeKey);
	else ctx.undrawn = true;
	const graph: Graph = { nodes: [scope], transitions: [] };
	for (const handler of handlers) {
		const elements = list(handler.flowElements);
		const starts = elements.filter((e) => e.$type === "bpmn:StartEvent");
		const start = starts[0];
		if (starts.length !== 1 || !start) {
			ctx.report.refuse(
				handler,
				"EVENT_SUBPROCESS_START",
				"an event subprocess starts with exactly one start event",
			);
			continue;
		}
		const interrupting = start.isInterrupting !== false;
		const inner = importFlow(elements, "scope", ctx, { start, host: scopeKey, interrupting });
		graph.nodes.push(...inner.nodes);
		graph.transitions.push(...inner.transitions);
	}
	return graph;
}

/** The nodes and transitions of one level's flow elements. */
function importFlow(
	elements: ModdleElement[],
	place: Place,
	ctx: ImportContext,
	trigger?: Trigger,
): Graph {
	const flows = elements.filter((e) => e.$type === "bpmn:SequenceFlow");
	const flowNodes = elements.filter((e) => e.$type !== "bpmn:SequenceFlow" && e.id);
	// Keys first: a boundary may come before its host in the file.
	for (const el of flowNodes)
		if (!IGNORED.has(el.$type)) ctx.keyOf.set(el.id as string, ctx.keys.claim(el.id as string));
	const placed: Placed[] = [];
	const folded = { start: new Set<string>(), end: new Set<string>() };
	for (const el of flowNodes) {
		if (IGNORED.has(el.$type)) {
			ctx.report.warn(el, "IGNORED_ELEMENT", "carries no behaviour in Baton and is ignored");
			continue;
		}
		const node: NodeDefinition = { key: ctx.keyOf.get(el.id as string) as string, task: "dummy" };
		if (el.name?.trim()) node.name = oneLine(el.name).slice(0, 100);
		const doc = documentationOf(el);
		if (doc) node.description = doc.slice(0, 2000);
		if (place === "process" && isTimerStart(el) && el !== trigger?.start) {
			// A timer start is when the process starts (a schedule), not a step: its flows lead to
			// the start nodes.
			const schedule = scheduleOf(el, list(el.eventDefinitions)[0] as ModdleElement, ctx);
			if (schedule) ctx.schedules.push(schedule);
			folded.start.add(el.id as string);
			continue;
		}
		const outcome = nodeFor(el, node, place, ctx, trigger);
		if (!outcome.ok) continue;
		if (!ACTIVITIES.has(el.$type) && extension(el, "zeebe:ioMapping")) {
			ctx.report.warn(el, "IO_MAPPING_NOT_KEPT", "its input and output mappings are not kept");
		}
		if (el.$attrs[`${BATON_NS.prefix}:implicit`] === "true") {
			if (el.$type === "bpmn:StartEvent") folded.start.add(el.id as string);
			if (el.$type === "bpmn:EndEvent") folded.end.add(el.id as string);
			continue;
		}
		placed.push({ el, node, ...(outcome.formless ? { formless: true } : {}) });
		ctx.drawnNodes.set(el.id as string, node.key);
	}
	const byId = new Map(placed.map((p) => [p.el.id as string, p]));
	const transitions = routes(placed, flows, byId, folded, ctx);
	transitions.push(...links(placed, ctx));
	const graph: Graph = { nodes: placed.map((p) => p.node), transitions };
	joinsAndSplits(placed, graph);
	// A Baton export says its starts and ends, and its ends mean what Baton's do.
	if (!ctx.fromBaton) {
		implicitStartsAndEnds(elements, graph, trigger !== undefined);
		sidePathEnds(placed, graph, ctx);
	}
	for (const p of placed) finish(p, graph, ctx);
	return graph;
}

function isTimerStart(el: ModdleElement): boolean {
	const definitions = list(el.eventDefinitions);
	return (
		el.$type === "bpmn:StartEvent" &&
		definitions.length === 1 &&
		definitions[0]?.$type === "bpmn:TimerEventDefinition"
	);
}

function nodeFor(
	el: ModdleElement,
	node: NodeDefinition,
	place: Place,
	ctx: ImportContext,
	trigger: Trigger | undefined,
): { ok: boolean; formless?: boolean } {
	if (el === trigger?.start) {
		return { ok: listeningEvent(el, node, trigger.host, trigger.interrupting, ctx) };
	}
	const inner = (container: ModdleElement) => importContainer(container, "scope", ctx);
	if (batonTask(el) !== undefined) return { ok: batonStructure(el, node, inner, ctx) };
	if (GATEWAYS[el.$type] || el.$type === "bpmn:ComplexGateway") return { ok: gateway(el, ctx) };
	switch (el.$type) {
		case "bpmn:StartEvent":
			return { ok: startEvent(el, node, place, ctx) };
		case "bpmn:EndEvent":
			return { ok: endEvent(el, node, ctx) };
		case "bpmn:IntermediateCatchEvent":
		case "bpmn:IntermediateThrowEvent":
			return { ok: intermediateEvent(el, node, ctx) };
		case "bpmn:BoundaryEvent": {
			const host = ctx.keyOf.get(ref(el.attachedToRef) ?? "");
			if (!host) {
				ctx.report.refuse(el, "BOUNDARY_WITHOUT_HOST", "it is attached to no step of its flow");
				return { ok: false };
			}
			return { ok: listeningEvent(el, node, host, el.cancelActivity !== false, ctx) };
		}
	}
	if (ACTIVITIES.has(el.$type)) {
		return activityNode(el, node, inner, ctx);
	}
	ctx.report.refuse(el, "UNSUPPORTED_ELEMENT", "Baton does not execute this element");
	return { ok: false };
}

function gateway(el: ModdleElement, ctx: ImportContext): boolean {
	if (el.$type === "bpmn:ComplexGateway") {
		ctx.report.refuse(
			el,
			"COMPLEX_GATEWAY",
			"a complex gateway's activation rule has no counterpart; use an inclusive or parallel gateway",
		);
		return false;
	}
	if (
		el.$type === "bpmn:EventBasedGateway" &&
		(el.instantiate === true || el.eventGatewayType === "Parallel")
	) {
		ctx.report.refuse(
			el,
			"EVENT_GATEWAY_KIND",
			"an event-based gateway that starts the process, or waits for every event, has no counterpart (E1 races its waits)",
		);
		return false;
	}
	return true;
}

/** Baton's own attributes (from a Baton export) win; then lanes, and user tasks with no form. */
function finish(p: Placed, graph: Graph, ctx: ImportContext): void {
	const { el, node } = p;
	batonAttributes(el, node);
	const lane = ctx.laneRoles.get(el.id as string);
	if (!node.role && lane && (node.task === "ask" || node.task === "question")) node.role = lane.key;
	const role = node.role;
	if (role && !ctx.roles.has(role)) {
		// A lane's name reads better than a group's id ("Accounting" for "accounting").
		const laneName = [...ctx.laneRoles.values()].find((l) => l.key === role)?.name;
		ctx.roles.set(role, laneName ?? ctx.assignedRoles.get(role) ?? role);
	}
	if (p.formless && el.$attrs[`${BATON_NS.prefix}:task`] === undefined) {
		ctx.formless.push({ el, node, graph });
	}
}
