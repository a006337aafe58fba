// Multi-instance markers as M1's `multiInstance`: the collection (Baton's own `baton:items`,
// Camunda 8's inputCollection, Camunda 7's collection, a cardinality as the list 1..n, a data
// input), the item's name, sequential or not, and the completion condition with Camunda's counters
// named as Baton's. A loop marker (repeat while a condition holds) is refused: Baton draws loops.
import type { ModdleElement } from "bpmn-moddle";
import type { MultiInstanceDefinition } from "../engine/index.ts";
import type { ImportContext } from "./import-context.ts";
import { conditionToFeel, settingToFeel } from "./import-expressions.ts";
import {
	attr,
	expressionLanguage,
	expressionText,
	extension,
	foreignAttr,
	refElement,
} from "./moddle-access.ts";
import { replaceNames, variableName } from "./variable-names.ts";
import { BATON_ATTR, BATON_NS } from "./vocabulary.ts";

const INSTANCE_COUNTERS: Record<string, string> = {
	nrOfCompletedInstances: "completed",
	numberOfCompletedInstances: "completed",
	nrOfInstances: "total",
	numberOfInstances: "total",
	nrOfActiveInstances: "(total - completed)",
	numberOfActiveInstances: "(total - completed)",
};

/**
 * M1 from a multi-instance marker: the collection (Baton's own `baton:items`, Camunda 8's
 * inputCollection, Camunda 7's collection, a cardinality as a list 1..n, or a data input), its
 * element's name, sequential, and the completion condition. A marker with no collection runs the
 * node once, said in a warning.
 */
export function multiInstanceOf(
	el: ModdleElement,
	marker: ModdleElement,
	ctx: ImportContext,
): MultiInstanceDefinition | undefined | "refused" {
	const baton = marker.$attrs?.[`${BATON_NS.prefix}:${BATON_ATTR.items}`];
	if (baton !== undefined) return batonMultiInstance(marker, baton);
	if (marker.$type === "bpmn:StandardLoopCharacteristics") {
		ctx.report.refuse(
			el,
			"LOOP_MARKER",
			"a loop marker repeats a step while a condition holds; Baton draws loops as flows back to the step",
		);
		return "refused";
	}
	const zeebe = extension(marker, "zeebe:loopCharacteristics");
	const collection = attr(zeebe, "inputCollection") ?? foreignAttr(marker, "camunda:collection");
	const cardinality = expressionText(marker.loopCardinality);
	const dataInput = refElement(marker.loopDataInputRef)?.name;
	let items: string | undefined;
	if (collection?.trim()) {
		items = asFeel(collection, ctx, el);
		if (items === undefined) return "refused";
	} else if (cardinality) {
		const count = asFeel(cardinality, ctx, el);
		if (count === undefined) return "refused";
		items = `= for i in 1..(${count.replace(/^=\s*/, "")}) return i`;
	} else if (typeof dataInput === "string" && dataInput.trim())
		items = `= ${variableName(dataInput)}`;
	if (items === undefined) {
		ctx.report.warn(
			el,
			"MULTI_INSTANCE_WITHOUT_ITEMS",
			"its multi-instance marker names no collection or count; it runs once",
		);
		return undefined;
	}
	const multi: MultiInstanceDefinition = { items };
	const element =
		attr(zeebe, "inputElement") ??
		foreignAttr(marker, "camunda:elementVariable") ??
		refElement(marker.inputDataItem)?.name;
	if (typeof element === "string" && element.trim()) multi.as = variableName(element);
	if (marker.isSequential === true) multi.sequential = true;
	const completion = expressionText(marker.completionCondition);
	if (completion) {
		const read = conditionToFeel(
			completion,
			expressionLanguage(marker.completionCondition) ?? ctx.expressionLanguage,
		);
		if (!read.ok) {
			ctx.report.refuse(
				el,
				"COMPLETION_CONDITION",
				`its completion condition ${completion} is not read: ${read.why}`,
			);
			return "refused";
		}
		multi.completion = `= ${replaceNames(read.feel, INSTANCE_COUNTERS)}`;
	}
	if (attr(zeebe, "outputCollection") || attr(zeebe, "outputElement")) {
		ctx.report.warn(
			el,
			"OUTPUT_COLLECTION",
			"its output collection is not kept: the node's result is the list of its instances' results",
		);
	}
	return multi;
}

/** M1 as a Baton export writes it: the list and item in attributes, the rest BPMN's own. */
function batonMultiInstance(marker: ModdleElement, items: string): MultiInstanceDefinition {
	const multi: MultiInstanceDefinition = { items };
	const as = marker.$attrs[`${BATON_NS.prefix}:${BATON_ATTR.as}`];
	if (as !== undefined) multi.as = as;
	if (marker.isSequential === true) multi.sequential = true;
	const completion = expressionText(marker.completionCondition);
	if (completion) multi.completion = completion;
	return multi;
}

/** A collection or count as `= FEEL`: an expression translated, a plain name read as a variable. */
function asFeel(text: string, ctx: ImportContext, el: ModdleElement): string | undefined {
	const read = settingToFeel(text);
	if (!read.ok) {
		ctx.report.refuse(el, "COLLECTION_NOT_READ", `its collection ${text} is not read: ${read.why}`);
		return undefined;
	}
	if (!("literal" in read)) return read.expression;
	if (/^\d+$/.test(read.literal)) return `= ${read.literal}`;
	return `= ${variableName(read.literal)}`;
}
