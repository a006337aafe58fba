// The workflows a person may start and the start form: a name, a priority and one field per default
// param of the workflow (typed by its default value), turned back into process params on submit.
import type { FormField, WorkflowDefinition } from "../../engine/index.ts";
import { DEFAULT_PRIORITY } from "../../engine/index.ts";
import { type FieldView, fieldViews, type PostedBody, type Typed } from "./task-form.ts";

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

/** A start form field per default param: numbers, yes/no, text, or JSON for lists and objects. */
export function paramFields(def: WorkflowDefinition): FormField[] {
	return Object.entries(def.params ?? {}).map(([name, value]) => {
		const field: FormField = { name, label: humanize(name), kind: kindOf(value), required: false };
		if (value !== undefined && value !== null) {
			field.value = typeof value === "object" ? JSON.stringify(value, null, 2) : value;
		}
		if (typeof value === "object" && value !== null) field.help = "JSON";
		return field;
	});
}

function kindOf(value: unknown): FormField["kind"] {
	if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
	if (typeof value === "boolean") return "checkbox";
	if (typeof value === "object" && value !== null) return "longtext";
	if (typeof value === "string" && (value.length > 80 || value.includes("\n"))) return "longtext";
	return "text";
}

function humanize(name: string): string {
	const words = name
		.replace(/[_-]+/g, " ")
		.replace(/([a-z])([A-Z])/g, "$1 $2")
		.trim();
	return words ? `${words[0]?.toUpperCase()}${words.slice(1)}` : name;
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

/** The posted start form: name (≤ 120 characters), priority 0–9, params by their field kinds. */
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
	for (const field of paramFields(def)) {
		const raw = text(field.name);
		const original = def.params?.[field.name];
		if (field.kind === "checkbox") {
			if (raw !== undefined) typed[field.name] = raw;
			params[field.name] = raw !== undefined;
			continue;
		}
		typed[field.name] = raw ?? "";
		const trimmed = (raw ?? "").trim();
		if (field.kind === "integer" || field.kind === "number") {
			if (trimmed === "") continue;
			const n = Number(trimmed);
			if (!Number.isFinite(n) || (field.kind === "integer" && !Number.isInteger(n))) {
				errors[field.name] =
					`“${field.label}” must be ${field.kind === "integer" ? "a whole number" : "a number"}.`;
			} else params[field.name] = n;
		} else if (typeof original === "object" && original !== null) {
			if (trimmed === "") continue;
			try {
				params[field.name] = JSON.parse(trimmed);
			} catch {
				errors[field.name] = `“${field.label}” must be valid JSON.`;
			}
		} else {
			params[field.name] = raw ?? "";
		}
	}
	const parsed: ParsedStart = { priority, params, typed, errors };
	if (name) parsed.name = name;
	return parsed;
}
