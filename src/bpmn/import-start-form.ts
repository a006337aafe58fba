// The start form (T10) of an imported workflow. BPMN engines take any variables at start; Baton
// takes the params its start form declares. So the form of the start event is the start form, and
// a variable that a correlation key or a collection reads, and that no form asks, is declared too:
// it can only come from whoever starts the process.
import type { FieldType, NodeDefinition, StartField } from "../engine/index.ts";
import type { ImportContext } from "./import-context.ts";
import { variablesNamed } from "./import-decisions.ts";
import { formOf } from "./import-forms.ts";
import { list } from "./moddle-access.ts";

export function startFormOf(
	nodes: readonly NodeDefinition[],
	ctx: ImportContext,
): Record<string, StartField> | undefined {
	const fields: Record<string, StartField> = {};
	for (const start of list(ctx.process.flowElements).filter((e) => e.$type === "bpmn:StartEvent")) {
		const form = formOf(start, ctx);
		if (form.kind === "form") Object.assign(fields, form.questions);
		else if (form.kind === "elsewhere") {
			ctx.report.warn(
				start,
				"FORM_NOT_READ",
				`its start form (${form.reference}) is not in the file; the workflow starts with the fields Baton finds it needs`,
			);
		}
	}
	const needed = new Map<string, FieldType>();
	for (const node of nodes) {
		const settings = [node.params?.correlationKey, node.multiInstance?.items];
		for (const setting of settings) {
			if (typeof setting !== "string" || !setting.trim().startsWith("=")) continue;
			for (const [name, type] of variablesNamed(setting)) {
				if (fields[name] || ctx.askedNames.has(name) || name === node.multiInstance?.as) continue;
				const collection = setting === node.multiInstance?.items;
				needed.set(name, collection || type === "json" ? "json" : "text");
			}
		}
	}
	for (const [name, type] of needed) {
		fields[name] = type === "text" ? { label: name } : { label: name, type };
	}
	if (needed.size > 0) {
		ctx.report.warnFile(
			"START_FIELDS_NEEDED",
			`the process reads ${[...needed.keys()].join(", ")} (in correlation keys or collections) and nothing in it sets ${needed.size > 1 ? "them" : "it"}: ${needed.size > 1 ? "they are start fields" : "it is a start field"}`,
		);
	}
	return Object.keys(fields).length > 0 ? fields : undefined;
}
