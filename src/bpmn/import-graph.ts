// A process or subprocess's flow elements as a Baton graph: one node per flow node, one transition
// per sequence flow, with conditions in FEEL ordered so that R2 means what BPMN means (an XOR split
// takes the first candidate: conditioned routes first, the default last and unconditioned; an
// AND split's default gets the negation of the others). Joins follow BPMN: a gateway's by its kind,
// any other node's merge is uncontrolled (XOR). Event subprocesses listen on the flow they sit in:
// that flow becomes a scope, each event subprocess a boundary on it and the path that follows.
import type { ModdleElement } from "bpmn-moddle";
import type { JoinKind, NodeDefinition, SplitKind, TransitionDefinition } from "../engine/index.ts";
import { activityNode } from "./import-activities.ts";
import type { ImportContext } from "./import-context.ts";
import { askForRoute } from "./import-decisions.ts";
import { endEvent, intermediateEvent, listeningEvent, startEvent } from "./import-events.ts";
import { conditionToFeel } from "./import-expressions.ts";
import { oneLine } from "./import-report.ts";
import {
	documentationOf,
	expressionLanguage,
	expressionText,
	extension,
	list,
	ref,
} from "./moddle-access.ts";
import { BATON_NS } from "./vocabulary.ts";

export interface Graph {
	nodes: NodeDefinition[];
	transitions: TransitionDefinition[];
}

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

const GATEWAYS: Record<string, { join: JoinKind; split: SplitKind }> = {
	"bpmn:ExclusiveGateway": { join: "xor", split: "xor" },
	"bpmn:ParallelGateway": { join: "and", split: "and" },
	// An inclusive split is Baton's AND split with conditions: every route whose condition holds.
	"bpmn:InclusiveGateway": { join: "or", split: "and" },
	"bpmn:EventBasedGateway": { join: "xor", split: "event" },
};

/** Present in modelers' files, carry no behaviour: ignored with a warning. */
const IGNORED = new Set(["bpmn:DataObjectReference", "bpmn:DataStoreReference", "bpmn:DataObject"]);

interface Placed {
	el: ModdleElement;
	node: NodeDefinition;
	formless?: boolean;
}

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
	warnParallelEnds(container, main, ctx);
	if (handlers.length === 0) return main;
	return withEventSubprocesses(container, main, handlers, place, ctx);
}

/**
 * Event subprocesses listen while the flow they sit in runs: the flow becomes a scope (C1) that
 * ends the process when it ends, each event subprocess's start a boundary on it (B1, B4), and the
 * event subprocess's steps the path after that boundary. A non-interrupting one's ends stop only
 * its own path (P1 would end everything at the first end).
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
		if (!interrupting) {
			const stopped = inner.nodes.filter((n) => n.end && n.task !== "error");
			for (const n of stopped) delete n.end;
			if (stopped.length > 0) {
				ctx.report.warn(
					handler,
					"NON_INTERRUPTING_END",
					"its ends stop only its own path: reaching one does not end the process",
				);
			}
		}
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
	}
	const byId = new Map(placed.map((p) => [p.el.id as string, p]));
	const transitions = routes(placed, flows, byId, folded, ctx);
	transitions.push(...links(placed, ctx));
	const graph: Graph = { nodes: placed.map((p) => p.node), transitions };
	joinsAndSplits(placed, graph);
	implicitStartsAndEnds(elements, graph, trigger !== undefined);
	for (const p of placed) finish(p, graph, ctx);
	return graph;
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
		return activityNode(el, node, (container) => importContainer(container, "scope", ctx), ctx);
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

interface Route {
	flow: ModdleElement;
	/** `= FEEL`, or a Baton literal from a Baton export. */
	condition?: string | number | boolean;
	isDefault: boolean;
}

/** The transitions of a level, in the order and with the conditions that keep BPMN's meaning. */
function routes(
	placed: Placed[],
	flows: ModdleElement[],
	byId: Map<string, Placed>,
	folded: { start: Set<string>; end: Set<string> },
	ctx: ImportContext,
): TransitionDefinition[] {
	const transitions: TransitionDefinition[] = [];
	const fromBaton = ctx.definitions.exporter === "Baton";
	for (const flow of flows) {
		const source = ref(flow.sourceRef) ?? "";
		const target = ref(flow.targetRef) ?? "";
		const from = byId.get(source);
		const to = byId.get(target);
		if (folded.start.has(source) && to) to.node.start = true;
		if (folded.end.has(target) && from) from.node.end = true;
	}
	const ordered = new Map<Placed, Route[]>();
	for (const source of placed) {
		// Flows to a refused step are read too, so that their own problems are reported.
		const out = flows.filter(
			(f) => ref(f.sourceRef) === source.el.id && !folded.end.has(ref(f.targetRef) ?? ""),
		);
		const defaultId = ref(source.el.default);
		const read: Route[] = [];
		for (const flow of out) {
			const condition = fromBaton ? batonCondition(flow) : modelCondition(flow, ctx);
			if (condition === "refused") continue;
			read.push({
				flow,
				...(condition === undefined ? {} : { condition }),
				isDefault: flow.id === defaultId,
			});
		}
		ordered.set(source, fromBaton ? read : ordering(source, read, ctx));
	}
	// The file's order across sources, each source's routes in the order R2 needs.
	for (const flow of flows) {
		const source = byId.get(ref(flow.sourceRef) ?? "");
		const route = source ? ordered.get(source)?.shift() : undefined;
		const to = byId.get(ref(route?.flow.targetRef) ?? "");
		if (!source || !route || !to) continue;
		const t: TransitionDefinition = { from: source.node.key, to: to.node.key };
		if (route.condition !== undefined) t.condition = route.condition;
		if (route.flow.$attrs[`${BATON_NS.prefix}:on`] === "failure") t.on = "failure";
		transitions.push(t);
	}
	return transitions;
}

/** A Baton export's condition, as Baton wrote it. */
function batonCondition(flow: ModdleElement): string | number | boolean | undefined {
	const body = expressionText(flow.conditionExpression);
	if (body === undefined || body === "") return undefined;
	const type = flow.$attrs[`${BATON_NS.prefix}:conditionType`];
	if (type === "number") return Number(body);
	if (type === "boolean") return body === "true";
	return body;
}

/**
 * A modeler's condition as `= FEEL` (Camunda 8's as written), undefined for none, or refused by
 * line.
 */
function modelCondition(flow: ModdleElement, ctx: ImportContext): string | undefined | "refused" {
	const body = expressionText(flow.conditionExpression);
	if (body === undefined || body === "") return undefined;
	const language = expressionLanguage(flow.conditionExpression) ?? ctx.expressionLanguage;
	const read = conditionToFeel(body, language);
	if (!read.ok) {
		ctx.report.refuse(
			flow,
			"UNSUPPORTED_CONDITION",
			`the condition ${body} is not read: ${read.why}`,
		);
		return "refused";
	}
	if (read.joined.length > 0) {
		ctx.report.warn(
			flow,
			"NAMES_JOINED",
			`the condition names ${read.joined.join(", ")}: Baton's variables are single words, read as ${read.joined.map((n) => n.replace(/\s+/g, "_")).join(", ")}`,
		);
	}
	const asWritten = body.startsWith("=") && read.joined.length === 0;
	return asWritten ? body : `= ${read.feel}`;
}

/**
 * The routes out of a node in the order R2 needs. An XOR split takes the first true candidate:
 * conditioned routes first, then routes without a condition (a fallback), the default last; one
 * with no condition at all asks a person. An AND split (activities, inclusive gateways) takes every
 * true candidate: the default gets "none of the others holds".
 */
function ordering(source: Placed, read: Route[], ctx: ImportContext): Route[] {
	const { el, node } = source;
	if (read.length === 0) return read;
	if (el.$type === "bpmn:EventBasedGateway" || el.$type === "bpmn:ParallelGateway") {
		if (read.some((r) => r.condition !== undefined)) {
			ctx.report.warn(
				el,
				"CONDITION_IGNORED",
				"conditions on its routes are ignored: it takes every route",
			);
		}
		return read.map(({ condition: _, ...r }) => r);
	}
	if (el.$type === "bpmn:ExclusiveGateway" && read.length > 1) {
		const conditioned = read.filter((r) => !r.isDefault && r.condition !== undefined);
		if (conditioned.length === 0) {
			const conditions = askForRoute(
				el,
				node,
				read.map((r) => r.flow),
				ctx,
			);
			return read.map((r, i) => ({ ...r, condition: conditions[i] as string }));
		}
		const bare = read.filter((r) => !r.isDefault && r.condition === undefined);
		if (bare.length > 0) {
			ctx.report.warn(
				el,
				"ROUTE_WITHOUT_CONDITION",
				`${bare.map((r) => describeRoute(r.flow)).join(", ")} ha${bare.length > 1 ? "ve" : "s"} no condition: taken when no condition holds`,
			);
		}
		return [...conditioned, ...bare, ...read.filter((r) => r.isDefault)];
	}
	const others = read.filter((r) => !r.isDefault && typeof r.condition === "string");
	return read.map((r) => {
		if (!r.isDefault || others.length === 0) return r;
		const none = others.map((o) => `(${String(o.condition).replace(/^\s*=\s*/, "")}) = true`);
		return { ...r, condition: `= not(${none.join(" or ")})` };
	});
}

function describeRoute(flow: ModdleElement): string {
	return flow.name?.trim() ? `the route "${oneLine(flow.name)}"` : `the route ${flow.id}`;
}

/** Link events are a jump: each throw leads to the catch of the same name in its flow. */
function links(placed: Placed[], ctx: ImportContext): TransitionDefinition[] {
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
function joinsAndSplits(placed: Placed[], graph: Graph): void {
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
function implicitStartsAndEnds(elements: ModdleElement[], graph: Graph, isHandler: boolean): void {
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

/** Baton's own attributes (from a Baton export) win; then lanes, and user tasks with no form. */
function finish(p: Placed, graph: Graph, ctx: ImportContext): void {
	const { el, node } = p;
	batonAttributes(el, node);
	const lane = ctx.laneRoles.get(el.id as string);
	if (lane) ctx.roles.set(lane.key, ctx.roles.get(lane.key) ?? lane.name);
	if (!node.role && lane && (node.task === "ask" || node.task === "question")) node.role = lane.key;
	if (node.role && !ctx.roles.has(node.role)) {
		ctx.roles.set(node.role, ctx.assignedRoles.get(node.role) ?? node.role);
	}
	if (p.formless && el.$attrs[`${BATON_NS.prefix}:task`] === undefined) {
		ctx.formless.push({ el, node, graph });
	}
}

function batonAttributes(el: ModdleElement, node: NodeDefinition): void {
	const attr = (name: string) => el.$attrs[`${BATON_NS.prefix}:${name}`];
	const task = attr("task");
	if (task) node.task = task;
	const params = parseJson(attr("params"));
	if (params) node.params = params;
	else if (task && task !== "question") delete node.params;
	const role = attr("role");
	if (role) node.role = role;
	const join = attr("join") as JoinKind | undefined;
	if (join) node.join = join;
	const split = attr("split") as SplitKind | undefined;
	if (split) node.split = split;
	if (attr("start") === "true") node.start = true;
	if (attr("end") === "true") node.end = true;
	if (attr("inline") === "true") node.inline = true;
	const editable = attr("editable");
	if (typeof editable === "string" && editable !== "") node.editable = editable.split(",");
	const priority = Number(attr("priority"));
	if (attr("priority") !== undefined && Number.isInteger(priority)) node.priority = priority;
}

/** P1 ends a process at its first end: parallel branches ending apart no longer wait for each other. */
function warnParallelEnds(container: ModdleElement, graph: Graph, ctx: ImportContext): void {
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

export function parseJson(text: string | undefined): Record<string, unknown> | undefined {
	if (text === undefined) return undefined;
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === "object" && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}
