// What each node becomes in BPMN: a gateway or a none start/end event when it does nothing but
// join, split, start or end; an event when its task type waits for or throws one (a boundary, a
// timer or message catch, a message start, an error end); else an activity. Every node that does
// something also carries Baton's attributes, so the import reads back exactly what BPMN's own
// words only approximate (a modeler shows the BPMN; Baton runs the attributes).
import type { BpmnModdle, ModdleElement } from "bpmn-moddle";
import type { NodeDefinition } from "../engine/index.ts";
import { taskCatalog } from "../tasks/registry.ts";
import {
	type EventKind,
	eventDefinition,
	messageName,
	type RootElements,
} from "./export-events.ts";
import { BATON_ATTR, BATON_NS, GATEWAY_KINDS } from "./vocabulary.ts";

export type Shape = "event" | "gateway" | "activity";

/** Where a node stands in its graph. */
export interface Place {
	incoming: number;
	outgoing: number;
	/** BPMN allows only none start events inside an embedded subprocess. */
	inScope: boolean;
	/** Its boundary host is in the same graph (a draft being edited may lack it). */
	hasHost: boolean;
}

interface Mapping {
	type: string;
	shape: Shape;
	event?: EventKind;
}

const b = (name: string) => `${BATON_NS.prefix}:${name}`;

/** The element of `node`; a boundary's host and a subprocess's inside are the caller's to add. */
export function nodeElement(
	moddle: BpmnModdle,
	roots: RootElements,
	node: NodeDefinition,
	place: Place,
): { el: ModdleElement; shape: Shape } {
	const mapping = mappingOf(node, place);
	const attrs: Record<string, unknown> = { id: node.key };
	if (node.name) attrs.name = node.name;
	if (node.description)
		attrs.documentation = [moddle.create("bpmn:Documentation", { text: node.description })];
	if (mapping.event) {
		attrs.eventDefinitions = [
			eventDefinition(moddle, roots, mapping.event, node.task, node.params),
		];
	}
	if (mapping.type === "bpmn:BoundaryEvent" && node.interrupting === false) {
		attrs.cancelActivity = false;
	}
	if (mapping.type === "bpmn:CallActivity" && typeof node.params?.workflow === "string") {
		attrs.calledElement = node.params.workflow;
	}
	if (mapping.type === "bpmn:SendTask" || mapping.type === "bpmn:ReceiveTask") {
		const name = messageName(node.task, node.params);
		if (name) attrs.messageRef = roots.message(name);
	}
	if (node.multiInstance) attrs.loopCharacteristics = loopOf(moddle, node.multiInstance);
	const el = moddle.create(mapping.type, attrs);
	writeAttributes(el, node, place, isBare(node) && mapping.shape !== "activity");
	return { el, shape: mapping.shape };
}

/** The element type, by what the node does and where it stands (see the module header). */
function mappingOf(node: NodeDefinition, place: Place): Mapping {
	const mode = taskCatalog.get(node.task)?.mode;
	const event = eventKindOf(mode);
	if (node.attachedTo !== undefined && place.hasHost) {
		return event
			? { type: "bpmn:BoundaryEvent", shape: "event", event }
			: { type: "bpmn:BoundaryEvent", shape: "event" };
	}
	if (node.nodes !== undefined || mode === "scope")
		return { type: "bpmn:SubProcess", shape: "activity" };
	const bare = isBare(node);
	const { incoming, outgoing } = place;
	if (bare && !node.start && !node.end) {
		if (node.split === "event") return { type: "bpmn:EventBasedGateway", shape: "gateway" };
		const gateway = gatewayFor(node, incoming, outgoing);
		if (gateway) return { type: gateway, shape: "gateway" };
	}
	if (bare && node.start && !node.end && incoming === 0 && outgoing <= 1) {
		return { type: "bpmn:StartEvent", shape: "event" };
	}
	if (bare && node.end && !node.start && outgoing === 0)
		return { type: "bpmn:EndEvent", shape: "event" };
	// Events take no multi-instance marker: a multi-instance wait stays an activity.
	if (!node.multiInstance) {
		if (event === "error" && node.end && !node.start && outgoing === 0) {
			return { type: "bpmn:EndEvent", shape: "event", event };
		}
		if (event === "message" && node.start && incoming === 0 && !place.inScope) {
			return { type: "bpmn:StartEvent", shape: "event", event };
		}
		if (event === "timer" || event === "message") {
			return { type: "bpmn:IntermediateCatchEvent", shape: "event", event };
		}
	}
	if (mode === "message") return { type: "bpmn:ReceiveTask", shape: "activity" };
	if (mode === "send") return { type: "bpmn:SendTask", shape: "activity" };
	if (mode === "subprocess") return { type: "bpmn:CallActivity", shape: "activity" };
	if (mode === "input" || node.task === "question")
		return { type: "bpmn:UserTask", shape: "activity" };
	if (node.task === "http") return { type: "bpmn:ServiceTask", shape: "activity" };
	return { type: "bpmn:Task", shape: "activity" };
}

function eventKindOf(mode: string | undefined): EventKind | undefined {
	return mode === "timer" || mode === "message" || mode === "error" ? mode : undefined;
}

/**
 * A node that does nothing but join, split, start or end: drawn as a gateway or a none event.
 * Running inline (T9) and a description change nothing of that, and travel as attributes.
 */
function isBare(node: NodeDefinition): boolean {
	return (
		node.task === "dummy" &&
		!node.params &&
		!node.role &&
		node.priority === undefined &&
		!node.editable &&
		node.due === undefined &&
		node.followUp === undefined &&
		!node.multiInstance &&
		node.attachedTo === undefined &&
		node.nodes === undefined
	);
}

/** The gateway a bare node with several ways in or out is, when its join and split say one. */
function gatewayFor(node: NodeDefinition, inCount: number, outCount: number): string | undefined {
	if (inCount <= 1 && outCount <= 1) return undefined;
	const join = inCount > 1 ? (node.join ?? "and") : undefined;
	const split = outCount > 1 ? (node.split ?? "and") : undefined;
	for (const [type, kinds] of Object.entries(GATEWAY_KINDS)) {
		if (
			(join === undefined || join === kinds.join) &&
			(split === undefined || split === kinds.split)
		) {
			return type;
		}
	}
	return undefined;
}

/**
 * M1: BPMN's marker with `isSequential` and the completion condition (FEEL as written: Baton's
 * names `completed`, `total`, `results`); the list and the item's param, which BPMN 2.0 can only
 * say through data inputs, in `baton:items` and `baton:as`.
 */
function loopOf(
	moddle: BpmnModdle,
	multi: NonNullable<NodeDefinition["multiInstance"]>,
): ModdleElement {
	const attrs: Record<string, unknown> = {};
	if (multi.sequential) attrs.isSequential = true;
	if (multi.completion !== undefined) {
		attrs.completionCondition = moddle.create("bpmn:FormalExpression", { body: multi.completion });
	}
	const loop = moddle.create("bpmn:MultiInstanceLoopCharacteristics", attrs);
	loop.$attrs[b(BATON_ATTR.items)] = multi.items;
	if (multi.as !== undefined) loop.$attrs[b(BATON_ATTR.as)] = multi.as;
	return loop;
}

/**
 * Baton's attributes. A bare gateway or event needs none but `inline` and the join its BPMN type
 * does not say; every other element carries the node's task type and all it sets.
 */
function writeAttributes(el: ModdleElement, node: NodeDefinition, place: Place, bare: boolean) {
	const set = (name: string, value: string | undefined) => {
		if (value !== undefined) el.$attrs[b(name)] = value;
	};
	if (!bare) {
		set("task", node.task);
		if (node.params) set("params", JSON.stringify(node.params));
		set("role", node.role);
		if (node.priority !== undefined) set("priority", String(node.priority));
		if (node.editable) set("editable", node.editable.join(","));
		set(BATON_ATTR.due, node.due);
		set(BATON_ATTR.followUp, node.followUp);
	}
	if (node.inline) set("inline", "true");
	// What the element's type says already is not repeated; BPMN merges flows into an activity or
	// an event without waiting (XOR), where Baton's default is AND, so that join is always written.
	const gateway = GATEWAY_KINDS[el.$type];
	const saysJoin = gateway && place.incoming > 1 ? gateway.join : undefined;
	const join = node.join ?? (place.incoming > 1 && !gateway ? "and" : undefined);
	if (join !== undefined && join !== saysJoin) set("join", join);
	const saysSplit =
		el.$type === "bpmn:EventBasedGateway"
			? "event"
			: gateway && place.outgoing > 1
				? gateway.split
				: undefined;
	if (node.split !== undefined && node.split !== saysSplit) set("split", node.split);
}
