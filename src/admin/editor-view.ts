// What the workflow editor shows of a draft: the validation report (D2) placed next to what it is
// about, one form per node and transition, the settings form and the JSON text. Pure: the route
// adds the diagram and swaps in the posted values of a form that needs correcting.
import {
	compileWorkflow,
	type NodeDefinition,
	type Problem,
	type TaskCatalog,
	type TransitionDefinition,
	type WorkflowDefinition,
} from "../engine/index.ts";
import { type Posted, showRoles } from "./draft-forms.ts";
import {
	extraParamsText,
	type ParamField,
	paramFieldsFor,
	readParamsLoose,
} from "./node-params.ts";
import { type ProblemView, problemViews } from "./problems.ts";

export interface NodeValues {
	key: string;
	name: string;
	description: string;
	role: string;
	task: string;
	start: boolean;
	end: boolean;
	/** T9: run in the ProcessObject's step, no queue hop. */
	inline: boolean;
	join: string;
	split: string;
	priority: string;
	/** T11: params a person may change although they are set, comma-separated. */
	editable: string;
}

export interface ParamFieldView extends ParamField {
	error?: string;
}

export interface NodeFormView {
	/** Position in the draft; null for the form that adds a node. */
	index: number | null;
	/** The key the node has in the draft (the form may rename it); "" when adding. */
	originalKey: string;
	/** The HTML id of the form's section. */
	anchor: string;
	values: NodeValues;
	/** The task type whose params fields are shown. */
	paramsType: string;
	paramFields: ParamFieldView[];
	extraParams: string;
	errors: Record<string, string>;
	problems: ProblemView[];
	incoming: number;
	outgoing: number;
}

export interface TransitionValues {
	from: string;
	to: string;
	condition: string;
	on: string;
}

export interface TransitionFormView {
	index: number | null;
	anchor: string;
	values: TransitionValues;
	errors: Record<string, string>;
	problems: ProblemView[];
	canMoveUp: boolean;
	canMoveDown: boolean;
}

export interface SettingsValues {
	name: string;
	description: string;
	priority: string;
	stepBudget: string;
	params: string;
	/** T10: the start form, as JSON. */
	startForm: string;
	roles: string;
}

export interface SettingsFormView {
	values: SettingsValues;
	errors: Record<string, string>;
	problems: ProblemView[];
}

export interface Choice {
	value: string;
	label: string;
}

export interface EditorView {
	key: string;
	name: string;
	latestVersion: number | null;
	basedOn: number | null;
	revision: number;
	savedAt: number;
	savedBy: string | null;
	isValid: boolean;
	errors: ProblemView[];
	warnings: ProblemView[];
	settings: SettingsFormView;
	/** Problems of the node list as a whole (no start node, no end node). */
	nodesProblems: ProblemView[];
	transitionsProblems: ProblemView[];
	nodes: NodeFormView[];
	newNode: NodeFormView;
	transitions: TransitionFormView[];
	newTransition: TransitionFormView;
	nodeChoices: Choice[];
	/** Node names by key, for the transitions' summaries. */
	nodeNames: Record<string, string>;
	taskTypes: (Choice & { description?: string })[];
	roleChoices: Choice[];
	json: string;
}

export interface EditorInput {
	key: string;
	latestVersion: number | null;
	draft: {
		definition: WorkflowDefinition;
		basedOn: number | null;
		revision: number;
		savedAt: number;
		savedBy: string | null;
	};
	catalog: TaskCatalog;
	/**
	 * Roles known in Baton (D1), offered next to the ones the workflow declares; with their active
	 * members counted, a node naming an empty or unknown role gets a warning (T3: its tasks would
	 * wait unassigned).
	 */
	knownRoles: readonly { key: string; name: string; activeMembers?: number }[];
}

/** The validation report of a definition: errors and warnings, placed. */
export function reportOf(def: WorkflowDefinition, catalog: TaskCatalog) {
	const compiled = compileWorkflow(def, catalog);
	const problems = compiled.ok ? compiled.warnings : [...compiled.problems, ...compiled.warnings];
	const views = problemViews(def, problems);
	return {
		isValid: compiled.ok,
		errors: views.filter((v) => v.severity === "error"),
		warnings: views.filter((v) => v.severity === "warning"),
	};
}

/** Paths that name a whole section rather than a workflow setting. */
const SECTION_FIELDS = new Set(["nodes", "transitions"]);

export function editorView(input: EditorInput): EditorView {
	const def = input.draft.definition;
	const report = reportOf(def, input.catalog);
	report.warnings.push(...staffingWarnings(def, input.knownRoles));
	const all = [...report.errors, ...report.warnings];
	const nodes = def.nodes.map((node, index) => nodeFormView(def, input.catalog, node, index, all));
	const transitions = def.transitions.map((t, index) => transitionFormView(def, t, index, all));
	const declared = new Map((def.roles ?? []).map((r) => [r.key, r.name ?? r.key]));
	for (const role of input.knownRoles)
		if (!declared.has(role.key)) declared.set(role.key, role.name);
	return {
		key: input.key,
		name: def.name || input.key,
		latestVersion: input.latestVersion,
		basedOn: input.draft.basedOn,
		revision: input.draft.revision,
		savedAt: input.draft.savedAt,
		savedBy: input.draft.savedBy,
		...report,
		settings: {
			values: settingsValues(def),
			errors: {},
			problems: all.filter(
				(p) => p.place.kind === "workflow" && !SECTION_FIELDS.has(p.place.field),
			),
		},
		nodesProblems: all.filter((p) => p.place.kind === "workflow" && p.place.field === "nodes"),
		transitionsProblems: all.filter(
			(p) => p.place.kind === "workflow" && p.place.field === "transitions",
		),
		nodes,
		newNode: nodeFormView(def, input.catalog, { key: "", task: "dummy" }, null, []),
		transitions,
		newTransition: transitionFormView(def, { from: "", to: "" }, null, []),
		nodeChoices: def.nodes.map((n) => ({
			value: n.key,
			label: n.name && n.name !== n.key ? `${n.name} (${n.key})` : n.key,
		})),
		nodeNames: Object.fromEntries(def.nodes.map((n) => [n.key, n.name || n.key])),
		taskTypes: input.catalog.list().map((spec) => {
			const choice: Choice & { description?: string } = {
				value: spec.name,
				label: spec.title ? `${spec.title} (${spec.name})` : spec.name,
			};
			if (spec.description) choice.description = spec.description;
			return choice;
		}),
		roleChoices: [...declared].map(([value, label]) => ({ value, label })),
		json: JSON.stringify(def, null, 2),
	};
}

/** T3: a node whose role has nobody active in Baton; its tasks would wait for an admin. */
export function staffingWarnings(
	def: WorkflowDefinition,
	knownRoles: EditorInput["knownRoles"],
): ProblemView[] {
	if (!knownRoles.some((r) => r.activeMembers !== undefined)) return [];
	const members = new Map(knownRoles.map((r) => [r.key, r.activeMembers ?? 0]));
	const problems: Problem[] = [];
	def.nodes.forEach((node, i) => {
		if (!node.role) return;
		const count = members.get(node.role);
		if (count === undefined) {
			problems.push({
				code: "UNKNOWN_ROLE",
				path: `nodes[${i}].role`,
				message: `there is no role "${node.role}" in Baton yet: create it (Roles) and add members, or its tasks wait unassigned`,
				severity: "warning",
			});
		} else if (count === 0) {
			problems.push({
				code: "ROLE_WITHOUT_MEMBERS",
				path: `nodes[${i}].role`,
				message: `nobody active is in the role "${node.role}": its tasks would wait unassigned`,
				severity: "warning",
			});
		}
	});
	return problemViews(def, problems);
}

export function settingsValues(def: WorkflowDefinition): SettingsValues {
	return {
		name: def.name ?? "",
		description: def.description ?? "",
		priority: def.priority === undefined ? "" : String(def.priority),
		stepBudget: def.stepBudget === undefined ? "" : String(def.stepBudget),
		params:
			def.params && Object.keys(def.params).length > 0 ? JSON.stringify(def.params, null, 2) : "",
		startForm:
			def.startForm && Object.keys(def.startForm).length > 0
				? JSON.stringify(def.startForm, null, 2)
				: "",
		roles: showRoles(def.roles),
	};
}

export function nodeFormView(
	def: WorkflowDefinition,
	catalog: TaskCatalog,
	node: NodeDefinition,
	index: number | null,
	problems: readonly ProblemView[],
): NodeFormView {
	const mine = problems.filter((p) => p.place.kind === "node" && p.place.index === index);
	const params = node.params ?? {};
	const spec = catalog.get(node.task);
	const paramFields: ParamFieldView[] = (spec ? paramFieldsFor(spec, params) : []).map((f) => {
		const problem = mine.find(
			(p) => p.place.field === `params.${f.name}` || p.place.field.startsWith(`params.${f.name}.`),
		);
		return problem ? { ...f, error: problem.message } : f;
	});
	return {
		index,
		originalKey: node.key,
		anchor: index === null ? "new-node" : `node-${index}`,
		values: {
			key: node.key,
			name: node.name ?? "",
			description: node.description ?? "",
			role: node.role ?? "",
			task: node.task,
			start: node.start === true,
			end: node.end === true,
			inline: node.inline === true,
			join: node.join ?? "and",
			split: node.split ?? "and",
			priority: node.priority === undefined ? "" : String(node.priority),
			editable: (node.editable ?? []).join(", "),
		},
		paramsType: node.task,
		paramFields,
		extraParams: extraParamsText(spec, params),
		errors: {},
		problems: mine,
		incoming: def.transitions.filter((t) => t.to === node.key).length,
		outgoing: def.transitions.filter((t) => t.from === node.key).length,
	};
}

/**
 * The node form as it was posted, with messages: the values stay as typed. When the task type was
 * changed in the form, the params move over to the new type's fields by name.
 */
export function postedNodeForm(
	shown: NodeFormView,
	posted: Posted,
	catalog: TaskCatalog,
	errors: Record<string, string>,
): NodeFormView {
	const t = (name: string) => posted[name] ?? "";
	const on = (name: string) => ["true", "on", "1"].includes(t(name));
	const values: NodeValues = {
		key: t("key"),
		name: t("name"),
		description: t("description"),
		role: t("role"),
		task: t("task") || shown.values.task,
		start: on("start"),
		end: on("end"),
		inline: on("inline"),
		join: t("join") || "and",
		split: t("split") || "and",
		priority: t("priority"),
		editable: t("editable"),
	};
	const shownType = t("params_type") || values.task;
	const form: NodeFormView = { ...shown, values, errors, paramsType: shownType };
	if (shownType === values.task) {
		const spec = catalog.get(shownType);
		form.paramFields = (spec ? paramFieldsFor(spec, {}) : []).map((f) => {
			const field: ParamFieldView = { ...f, value: t(`param.${f.name}`) };
			const error = errors[`param.${f.name}`];
			if (error) field.error = error;
			return field;
		});
		form.extraParams = t("params_extra");
		return form;
	}
	return withParamsFor(form, values.task, readParamsLoose(catalog.get(shownType), posted), catalog);
}

/** The node form showing the params fields of `task`, filled from `params`. */
export function withParamsFor(
	form: NodeFormView,
	task: string,
	params: Record<string, unknown>,
	catalog: TaskCatalog,
): NodeFormView {
	const spec = catalog.get(task);
	return {
		...form,
		paramsType: task,
		paramFields: spec ? paramFieldsFor(spec, params) : [],
		extraParams: extraParamsText(spec, params),
	};
}

export function transitionFormView(
	def: WorkflowDefinition,
	t: TransitionDefinition,
	index: number | null,
	problems: readonly ProblemView[],
): TransitionFormView {
	return {
		index,
		anchor: index === null ? "new-transition" : `transition-${index}`,
		values: {
			from: t.from,
			to: t.to,
			condition: t.condition === undefined ? "" : String(t.condition),
			on: t.on ?? "success",
		},
		errors: {},
		problems: problems.filter((p) => p.place.kind === "transition" && p.place.index === index),
		canMoveUp: index !== null && index > 0,
		canMoveDown: index !== null && index < def.transitions.length - 1,
	};
}

export function postedTransitionForm(
	shown: TransitionFormView,
	posted: Posted,
	errors: Record<string, string>,
): TransitionFormView {
	const t = (name: string) => posted[name] ?? "";
	return {
		...shown,
		values: { from: t("from"), to: t("to"), condition: t("condition"), on: t("on") || "success" },
		errors,
	};
}

export function postedSettingsForm(
	shown: SettingsFormView,
	posted: Posted,
	errors: Record<string, string>,
): SettingsFormView {
	const t = (name: string) => posted[name] ?? "";
	return {
		...shown,
		values: {
			name: t("name"),
			description: t("description"),
			priority: t("priority"),
			stepBudget: t("stepBudget"),
			params: t("params"),
			startForm: t("startForm"),
			roles: t("roles"),
		},
		errors,
	};
}
