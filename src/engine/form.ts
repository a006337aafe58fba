// The form a person sees for a task: fields derived from the task type's zod schema through
// z.toJSONSchema and the `.meta({ title, description })` on each field. Rendering is the pages' job.
import { z } from "zod";
import { formSchema } from "./params.ts";
import type { TaskTypeSpec } from "./task-type-spec.ts";

export type FieldKind =
	| "text"
	| "longtext"
	| "number"
	| "integer"
	| "date"
	| "datetime"
	| "select"
	| "multiselect"
	| "checkbox"
	| "email"
	| "url"
	| "money"
	| "file"
	| "json";

export interface FormField {
	name: string;
	label: string;
	help?: string;
	kind: FieldKind;
	required: boolean;
	min?: number;
	max?: number;
	options?: { value: string; label: string }[];
	/** The current value (merged params), else the schema's default. */
	value?: unknown;
	/** `money`: the currency code shown beside the amount. */
	currency?: string;
	/** Shown only while another field has a value (or the value named); required then if marked. */
	showIf?: { field: string; equals?: string | number | boolean };
}

/** A property of the JSON Schema zod writes for a form (z.toJSONSchema), as forms read it. */
export interface JsonSchemaField {
	type?: string | string[];
	title?: string;
	description?: string;
	format?: string;
	enum?: unknown[];
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	default?: unknown;
	widget?: string;
	currency?: string;
	showIf?: { field: string; equals?: string | number | boolean };
	requiredWhenShown?: boolean;
	items?: JsonSchemaField;
	anyOf?: JsonSchemaField[];
	$ref?: string;
}

/** The fields of a task's form, in schema order, with their current values from `params`. */
export function describeForm(spec: TaskTypeSpec, params: Record<string, unknown>): FormField[] {
	return describeSchema(formSchema(spec, params), params);
}

/** The fields of any form schema (a task's, a workflow's start form), with values from `params`. */
export function describeSchema(schema: z.ZodObject, params: Record<string, unknown>): FormField[] {
	const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
		properties?: Record<string, JsonSchemaField>;
		required?: string[];
	};
	const required = new Set(json.required ?? []);
	return Object.entries(json.properties ?? {}).map(([name, raw]) => {
		const prop =
			raw.widget === "json" || raw.widget === "datetime"
				? raw
				: (raw.anyOf?.find((p) => p.type !== "null") ?? raw);
		const field: FormField = {
			name,
			label: raw.title ?? prop.title ?? name,
			kind: kindOf(prop),
			required: (required.has(name) && raw.default === undefined) || raw.requiredWhenShown === true,
		};
		const currency = raw.currency ?? prop.currency;
		if (currency) field.currency = currency;
		const showIf = raw.showIf ?? prop.showIf;
		if (showIf) field.showIf = showIf;
		const help = raw.description ?? prop.description;
		if (help !== undefined) field.help = help;
		const min = prop.minimum ?? prop.minLength;
		const max = prop.maximum ?? prop.maxLength;
		if (min !== undefined) field.min = min;
		if (max !== undefined) field.max = max;
		const choices = prop.enum ?? (prop.widget === "multiselect" ? prop.items?.enum : undefined);
		if (choices) field.options = choices.map((v) => ({ value: String(v), label: String(v) }));
		const value = name in params ? params[name] : (raw.default ?? prop.default);
		if (value !== undefined) field.value = value;
		return field;
	});
}

const WIDGET_KINDS: Record<string, FieldKind> = {
	json: "json",
	multiselect: "multiselect",
	email: "email",
	url: "url",
	money: "money",
	file: "file",
	datetime: "datetime",
};

function kindOf(prop: JsonSchemaField): FieldKind {
	const widget = prop.widget ? WIDGET_KINDS[prop.widget] : undefined;
	if (widget) return widget;
	if (prop.enum) return "select";
	const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== "null") : prop.type;
	if (type === "boolean") return "checkbox";
	if (type === "integer") return "integer";
	if (type === "number") return "number";
	if (prop.format === "date" || prop.format === "date-time") return "date";
	if (prop.widget === "longtext") return "longtext";
	return "text";
}
