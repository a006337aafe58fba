// What the workflow editor shows of a draft: the validation report (D2) placed next to what it is
// about, one form per node and transition, the settings form and the JSON text. Pure: the route
// adds the diagram and swaps in the posted values of a form that needs correcting.
import {
	compileWorkflow,
	isExpression,
	type NodeDefinition,
	type Problem,
	parseCycle,
	parseDuration,
	type TaskCatalog,
	type TransitionDefinition,
	type WorkflowDefinition,
} from "../engine/index.ts";
import { duration } from "../http/view-models/format.ts";
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
	/** B1: the key of the node this one is a boundary event of; "" for none. */
	attachedTo: string;
	/** B2: checked unless the node says `interrupting: false`. */
	interrupting: boolean;
	/** H1: a duration or "= FEEL". */
	due: string;
	followUp: string;
	/** M1: the collection (FEEL), the item's param, one after another, the completion condition. */
	multiItems: string;
	multiAs: string;
	multiSequential: boolean;
	multiCompletion: string;
	/** C1: a scope's inner graph as JSON, `{"nodes": [...], "transitions": [...]}`. */
	innerGraph: string;
}

/** C1: an inner node of a scope, as the node list shows it (read-only), with its own inner nodes. */
export interface InnerNodeView {
	key: string;
	title: string;
	task: string;
	/** start, end, … and what it waits for, in words. */
	facts: string[];
	inner: InnerNodeView[];
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
	/**
	 * What the node does in time and events, in words: the node it is a boundary event of, its
	 * own boundary events, its due and follow-up dates, once per item, an event-based split.
	 */
	facts: string[];
	/** C1: the inner nodes of a scope, shown indented under it. */
	inner: InnerNodeView[];
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
	/** Q1: the scheduled starts, as a JSON list. */
	schedules: string;
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
		schedules:
			def.schedules && def.schedules.length > 0 ? JSON.stringify(def.schedules, null, 2) : "",
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
			attachedTo: node.attachedTo ?? "",
			interrupting: node.interrupting !== false,
			due: node.due ?? "",
			followUp: node.followUp ?? "",
			multiItems: node.multiInstance?.items ?? "",
			multiAs: node.multiInstance?.as ?? "",
			multiSequential: node.multiInstance?.sequential === true,
			multiCompletion: node.multiInstance?.completion ?? "",
			innerGraph: innerGraphText(node),
		},
		paramsType: node.task,
		paramFields,
		extraParams: extraParamsText(spec, params),
		errors: {},
		problems: mine,
		incoming: def.transitions.filter((t) => t.to === node.key).length,
		outgoing: def.transitions.filter((t) => t.from === node.key).length,
		facts: index === null ? [] : nodeFacts(node, def.nodes, catalog),
		inner: innerNodes(node, catalog),
	};
}

/** C1: the JSON the inner-graph field shows; "" for a node that has none. */
export function innerGraphText(node: Pick<NodeDefinition, "nodes" | "transitions">): string {
	if (node.nodes === undefined && node.transitions === undefined) return "";
	return JSON.stringify({ nodes: node.nodes ?? [], transitions: node.transitions ?? [] }, null, 2);
}

function innerNodes(node: NodeDefinition, catalog: TaskCatalog): InnerNodeView[] {
	const nodes = node.nodes ?? [];
	return nodes.map((inner) => ({
		key: inner.key,
		title: inner.name || inner.key,
		task: inner.task,
		facts: [
			...(inner.start ? ["start"] : []),
			...(inner.end ? ["end"] : []),
			...nodeFacts(inner, nodes, catalog),
		],
		inner: innerNodes(inner, catalog),
	}));
}

/**
 * B1–B4, H1, M1, E1, C1 in words, for the node list: what a node waits for, when it is due, how
 * often it runs. `siblings` is its graph, where its boundary events and its host are.
 */
export function nodeFacts(
	node: NodeDefinition,
	siblings: readonly NodeDefinition[],
	catalog: TaskCatalog,
): string[] {
	const facts: string[] = [];
	const titleOf = (key: string) => {
		const found = siblings.find((n) => n.key === key);
		return found?.name || key;
	};
	if (node.attachedTo !== undefined) {
		const interrupts = node.interrupting === false ? "does not interrupt it" : "interrupts it";
		facts.push(
			`Boundary event of ${titleOf(node.attachedTo)}: ${listensFor(node, catalog)}; ${interrupts}`,
		);
	}
	const boundaries = siblings.filter((n) => n.attachedTo === node.key);
	if (boundaries.length > 0) {
		const each = boundaries.map(
			(b) =>
				`${b.name || b.key} (${listensFor(b, catalog)}${b.interrupting === false ? ", without interrupting" : ""})`,
		);
		facts.push(`Boundary events: ${each.join(", ")}`);
	}
	const mode = catalog.get(node.task)?.mode;
	const params = node.params ?? {};
	// The `event` task's message name defaults to "event" (N1).
	const named = (name: string, fallback = "") =>
		`"${typeof params[name] === "string" ? params[name] : fallback}"`;
	if (node.attachedTo === undefined) {
		const message = named("message", "event");
		if (mode === "message" && node.start) facts.push(`Started by the message ${message}`);
		else if (mode === "message") facts.push(`Waits for the message ${message}`);
		else if (mode === "send") facts.push(`Sends the message ${named("message")}`);
		else if (mode === "error" && node.end) facts.push(`Ends with the error ${named("code")}`);
	}
	if (node.due) facts.push(`Due ${dateInWords(node.due)}`);
	if (node.followUp) facts.push(`Follow up ${dateInWords(node.followUp)}`);
	const mi = node.multiInstance;
	if (mi) {
		const how = mi.sequential ? "one after another" : "all at once";
		const feel = (source: string) => source.replace(/^\s*=\s*/, "");
		const done = mi.completion ? `; done when ${feel(mi.completion)}` : "";
		facts.push(`Once per item of ${feel(mi.items)} (as ${mi.as || "item"}), ${how}${done}`);
	}
	if (node.split === "event") facts.push("Event-based: the first wait to happen wins");
	if (mode === "scope") {
		const count = node.nodes?.length ?? 0;
		facts.push(`Group of ${count} inner step${count === 1 ? "" : "s"}`);
	}
	return facts;
}

/** What a boundary event waits for: its timer, its message or the error it catches. */
function listensFor(node: NodeDefinition, catalog: TaskCatalog): string {
	const params = node.params ?? {};
	const text = (name: string) => (typeof params[name] === "string" ? params[name] : undefined);
	switch (catalog.get(node.task)?.mode) {
		case "timer": {
			if (params.at === "due") return "a timer at its due date";
			if (params.at === "followUp") return "a timer at its follow-up date";
			const cycle = text("cycle");
			if (cycle !== undefined) {
				const parsed = parseCycle(cycle);
				if (!parsed) return `a timer on the cycle ${cycle}`;
				const times =
					parsed.repetitions === null
						? "with no limit"
						: `${parsed.repetitions} time${parsed.repetitions === 1 ? "" : "s"}`;
				return `a timer every ${duration(parsed.everyMs)}, ${times}`;
			}
			const until = text("until");
			if (until !== undefined) return `a timer at ${until}`;
			const after = text("duration");
			if (after !== undefined) {
				const ms = isExpression(after) ? null : parseDuration(after);
				return `a timer after ${ms === null ? after : duration(ms)}`;
			}
			return "a timer with no time set";
		}
		case "message":
			return `the message "${text("message") ?? "event"}"`;
		case "error":
			return text("code") === undefined ? "any error" : `the error ${text("code")}`;
		default:
			return `a ${node.task} task, which does not listen`;
	}
}

/** H1: a duration from the task's creation, or FEEL. */
function dateInWords(value: string): string {
	const ms = isExpression(value) ? null : parseDuration(value);
	return ms === null ? `as ${value} says` : `${duration(ms)} after it is created`;
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
		attachedTo: t("attachedTo"),
		// The hidden "false" before the checkbox: absent means the page had no such field.
		interrupting: t("interrupting") !== "false",
		due: t("due"),
		followUp: t("followUp"),
		multiItems: t("multiItems"),
		multiAs: t("multiAs"),
		multiSequential: on("multiSequential"),
		multiCompletion: t("multiCompletion"),
		// Not shown (another task type's fields were): the node's graph, to show when it is a scope.
		innerGraph: posted.innerGraph ?? shown.values.innerGraph,
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
			schedules: t("schedules"),
			roles: t("roles"),
		},
		errors,
	};
}
