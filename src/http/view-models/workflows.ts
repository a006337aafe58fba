// The workflows a person may start and the start form: a name, a priority and the fields of the
// workflow's start form (T10), turned back into process params on submit and checked by the engine.
import {
	checkStartParams,
	DEFAULT_PRIORITY,
	describeSchema,
	type FormField,
	startFormSchema,
	type WorkflowDefinition,
} from "../../engine/index.ts";
import {
	type FieldView,
	fieldViews,
	friendlyErrors,
	type PostedBody,
	parsePosted,
	type Typed,
} from "./task-form.ts";

export interface WorkflowCardView {
	key: string;
	name: string;
	description?: string;
	version: number;
	stepCount: number;
	roles: string[];
	canStart: boolean;
	startHref: string;
}

export interface StartFormView {
	key: string;
	name: string;
	description?: string;
	version: number;
	action: string;
	nonce: string;
	processName: string;
	priority: number;
	defaultPriority: number;
	fields: FieldView[];
	errors: Record<string, string>;
	hasErrors: boolean;
}

/** T10: the fields of the workflow's start form, with their defaults. */
export function paramFields(def: WorkflowDefinition): FormField[] {
	return describeSchema(startFormSchema(def), {});
}

export function startFormView(
	def: WorkflowDefinition & { version: number },
	options: {
		nonce: string;
		typed?: Typed;
		processName?: string;
		priority?: number;
		errors?: Record<string, string>;
	},
): StartFormView {
	const errors = options.errors ?? {};
	const defaultPriority = def.priority ?? DEFAULT_PRIORITY;
	const view: StartFormView = {
		key: def.key,
		name: def.name,
		version: def.version,
		action: `/workflows/${encodeURIComponent(def.key)}/start`,
		nonce: options.nonce,
		processName: options.processName ?? "",
		priority: options.priority ?? defaultPriority,
		defaultPriority,
		fields: fieldViews(paramFields(def), {
			prefix: "param",
			...(options.typed ? { typed: options.typed } : {}),
			errors,
		}),
		errors,
		hasErrors: Object.keys(errors).length > 0,
	};
	if (def.description) view.description = def.description;
	return view;
}

export interface ParsedStart {
	name?: string;
	priority: number;
	params: Record<string, unknown>;
	typed: Typed;
	errors: Record<string, string>;
}

/** The posted start form: name (≤ 120 characters), priority 0–9, params checked by T10. */
export function parseStart(def: WorkflowDefinition, body: PostedBody): ParsedStart {
	const text = (key: string) => {
		const v = body[key];
		const first = Array.isArray(v) ? v[0] : v;
		return typeof first === "string" ? first : undefined;
	};
	const errors: Record<string, string> = {};
	const typed: Typed = {};
	const params: Record<string, unknown> = {};
	const name = (text("name") ?? "").trim();
	if (name.length > 120) errors.name = "Use at most 120 characters for the name.";
	const rawPriority = text("priority") ?? "";
	const priority = rawPriority === "" ? (def.priority ?? DEFAULT_PRIORITY) : Number(rawPriority);
	if (!Number.isInteger(priority) || priority < 0 || priority > 9) {
		errors.priority = "Choose a priority from 0 (highest) to 9 (lowest).";
	}
	const fields = paramFields(def);
	const posted = parsePosted(fields, body);
	// T10: a posted key the form does not offer goes to the check as posted, which refuses it.
	const known = new Set([...fields.map((f) => f.name), "name", "priority", "_csrf", "_nonce"]);
	for (const key of Object.keys(body)) {
		if (!known.has(key)) posted.values[key] = text(key) ?? "";
	}
	Object.assign(typed, posted.typed);
	const check = checkStartParams(def, posted.values);
	if (check.ok) Object.assign(params, check.params);
	else Object.assign(errors, friendlyErrors(fields, check.fields, posted.typed));
	const parsed: ParsedStart = { priority, params, typed, errors };
	if (name) parsed.name = name;
	return parsed;
}
