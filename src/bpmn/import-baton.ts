// Baton's own attributes on BPMN elements (`baton:task`, `baton:params`, …), which a Baton export
// writes for what BPMN cannot say: read back as they were written, over what the BPMN means.
import type { ModdleElement } from "bpmn-moddle";
import type { JoinKind, NodeDefinition, SplitKind, TransitionDefinition } from "../engine/index.ts";
import type { ImportContext } from "./import-context.ts";
import { multiInstanceOf } from "./import-multi-instance.ts";
import { expressionText, ref } from "./moddle-access.ts";
import { BATON_ATTR, BATON_NS } from "./vocabulary.ts";

/** The task type a Baton export wrote on an element, if it did. */
export function batonTask(el: ModdleElement): string | undefined {
	return el.$attrs?.[`${BATON_NS.prefix}:task`];
}

/**
 * A node a Baton export wrote with its task type: its attributes say what it does (read in
 * `batonAttributes`), so of the BPMN only the structure is read (a start, an end, a boundary's
 * host, a scope's inside, a multi-instance marker), never the trigger details BPMN approximates.
 */
export function batonStructure(
	el: ModdleElement,
	node: NodeDefinition,
	inner: (container: ModdleElement) => {
		nodes: NodeDefinition[];
		transitions: TransitionDefinition[];
	},
	ctx: ImportContext,
): boolean {
	if (el.$type === "bpmn:StartEvent") node.start = true;
	if (el.$type === "bpmn:EndEvent") node.end = true;
	if (el.$type === "bpmn:BoundaryEvent") {
		const host = ctx.keyOf.get(ref(el.attachedToRef) ?? "");
		if (!host) {
			ctx.report.refuse(el, "BOUNDARY_WITHOUT_HOST", "it is attached to no step of its flow");
			return false;
		}
		node.attachedTo = host;
		if (el.cancelActivity === false) node.interrupting = false;
	}
	if (el.$type === "bpmn:SubProcess") {
		const graph = inner(el);
		node.nodes = graph.nodes;
		node.transitions = graph.transitions;
	}
	if (el.loopCharacteristics) {
		const multi = multiInstanceOf(el, el.loopCharacteristics as ModdleElement, ctx);
		if (multi === "refused") return false;
		if (multi) node.multiInstance = multi;
	}
	return true;
}

/** A node's Baton attributes, over what its BPMN element made of it. */
export function batonAttributes(el: ModdleElement, node: NodeDefinition): void {
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
	const due = attr(BATON_ATTR.due);
	if (due !== undefined) node.due = due;
	const followUp = attr(BATON_ATTR.followUp);
	if (followUp !== undefined) node.followUp = followUp;
}

/** A Baton export's condition, as Baton wrote it. */
export function batonCondition(flow: ModdleElement): string | number | boolean | undefined {
	const body = expressionText(flow.conditionExpression);
	if (body === undefined || body === "") return undefined;
	const type = flow.$attrs[`${BATON_NS.prefix}:conditionType`];
	if (type === "number") return Number(body);
	if (type === "boolean") return body === "true";
	return body;
}

/** A JSON object from an attribute, or undefined when it is absent or not one. */
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
