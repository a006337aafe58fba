// Baton's own attributes on BPMN elements (`baton:task`, `baton:params`, …), which a Baton export
// writes for what BPMN cannot say: read back as they were written, over what the BPMN means.
import type { ModdleElement } from "bpmn-moddle";
import type { JoinKind, NodeDefinition, SplitKind } from "../engine/index.ts";
import { expressionText } from "./moddle-access.ts";
import { BATON_NS } from "./vocabulary.ts";

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
