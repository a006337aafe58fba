// D2 for who sets what (T10, T11): a start form whose defaults fit their fields, and `editable`
// lists that name real fields of the node's form. Part of validateDefinition.
import { fieldValueSchema } from "./fields.ts";
import { placedNodes } from "./levels.ts";
import type { NodeDefinition, WorkflowDefinition } from "./model.ts";
import type { ProblemList } from "./problems.ts";
import type { TaskCatalog } from "./task-type-spec.ts";

export function checkAuthority(
	def: WorkflowDefinition,
	catalog: TaskCatalog,
	problems: ProblemList,
): void {
	for (const [name, field] of Object.entries(def.startForm ?? {})) {
		const path = `startForm.${name}`;
		if (field.type === "select" && (field.options ?? []).length === 0) {
			problems.error("SELECT_WITHOUT_OPTIONS", `${path}.options`, `"${name}" has no options`);
		} else if (field.default !== undefined) {
			const parsed = fieldValueSchema(field).safeParse(field.default);
			if (!parsed.success) {
				problems.error(
					"INVALID_START_DEFAULT",
					`${path}.default`,
					`the default of "${name}" does not fit its field: ${parsed.error.issues[0]?.message ?? "invalid"}`,
				);
			}
		}
		for (const { node, path: nodePath } of placedNodes(def)) {
			if (node.params && Object.hasOwn(node.params, name)) {
				problems.warn(
					"START_FIELD_OVERRIDES_NODE",
					`${nodePath}.params.${name}`,
					`the start field "${name}" replaces the value node "${node.key}" sets (process params win over node params)`,
				);
			}
		}
	}
	for (const { node, path } of placedNodes(def)) checkEditable(node, path, catalog, problems);
}

function checkEditable(
	node: NodeDefinition,
	at: string,
	catalog: TaskCatalog,
	problems: ProblemList,
): void {
	if (!node.editable || node.editable.length === 0) return;
	const spec = catalog.get(node.task);
	if (!spec) return;
	if (spec.mode === "input") {
		problems.warn(
			"EDITABLE_ON_INPUT_TASK",
			`${at}.editable`,
			`every question of "${node.key}" is already offered to the person; editable changes nothing`,
		);
		return;
	}
	const fields = new Set(Object.keys(spec.params.shape));
	node.editable.forEach((name, j) => {
		if (!fields.has(name)) {
			problems.error(
				"UNKNOWN_EDITABLE_FIELD",
				`${at}.editable[${j}]`,
				`"${name}" is not a param of task type "${node.task}"`,
			);
		} else if (spec.shows?.includes(name)) {
			problems.error(
				"EDITABLE_SHOWN_FIELD",
				`${at}.editable[${j}]`,
				`"${name}" is the author's text of "${node.task}" and cannot be edited by a person`,
			);
		}
	});
}
