// The form of a user task as the questions of an `ask` task (src/tasks/ask.ts, the vocabulary of
// src/engine/fields.ts): Camunda 7's `camunda:formField`s and Camunda 8's embedded form-js forms
// (`zeebe:userTaskForm`, named by `zeebe:formDefinition formKey`). A form kept elsewhere (a form
// key, a linked form id) cannot be read from the file: the caller falls back, said in a warning.
import type { ModdleElement } from "bpmn-moddle";
import type { FieldSpec, FieldType } from "../engine/index.ts";
import type { ImportContext } from "./import-context.ts";
import { oneLine } from "./import-report.ts";
import { attr, children, extension, foreignAttr } from "./moddle-access.ts";
import { variableName } from "./variable-names.ts";

export type FormRead =
	| { kind: "form"; questions: Record<string, FieldSpec>; notes: string[] }
	/** The task names a form the file does not hold. */
	| { kind: "elsewhere"; reference: string }
	| { kind: "none" };

const MAX_OPTIONS = 50;

export function formOf(el: ModdleElement, ctx: ImportContext): FormRead {
	const formData = extension(el, "camunda:formData");
	if (formData) return camundaForm(el, formData, ctx);
	const definition = extension(el, "zeebe:formDefinition");
	const formKey = attr(definition, "formKey") ?? foreignAttr(el, "camunda:formKey");
	const embedded = /^camunda-forms:bpmn:(.+)$/.exec(formKey ?? "")?.[1];
	const form = embedded === undefined ? undefined : ctx.embeddedForms.get(embedded);
	if (form) return formJs(el, form, ctx);
	const elsewhere =
		formKey ??
		attr(definition, "formId") ??
		attr(definition, "externalReference") ??
		foreignAttr(el, "camunda:formRef");
	return elsewhere ? { kind: "elsewhere", reference: elsewhere } : { kind: "none" };
}

/** Camunda 7: `<camunda:formData><camunda:formField id label type>` with enum values and validation. */
function camundaForm(el: ModdleElement, formData: ModdleElement, ctx: ImportContext): FormRead {
	const questions: Record<string, FieldSpec> = {};
	for (const field of children(formData, "camunda:formField")) {
		const id = attr(field, "id")?.trim();
		if (!id) continue;
		const constraints = children(children(field, "camunda:validation")[0], "camunda:constraint");
		const constraint = (name: string) =>
			constraints.find((c) => attr(c, "name")?.toLowerCase() === name);
		if (constraint("readonly")) {
			readOnly(el, id, ctx);
			continue;
		}
		const spec: FieldSpec = { label: label(attr(field, "label"), id) };
		const type = attr(field, "type") ?? "string";
		const mapped = CAMUNDA_TYPES[type];
		if (mapped && mapped !== "text") spec.type = mapped;
		else if (!mapped) {
			ctx.report.warn(
				el,
				"FORM_FIELD_TYPE",
				`the form field ${id} of type ${type} is asked as text`,
			);
		}
		if (type === "enum") {
			spec.options = children(field, "camunda:value")
				.map((v) => attr(v, "id") ?? "")
				.filter((v) => v !== "")
				.slice(0, MAX_OPTIONS);
		}
		if (constraint("required")) spec.required = true;
		const bound = (name: string) => {
			const config = Number(attr(constraint(name), "config"));
			return Number.isFinite(config) && attr(constraint(name), "config") !== undefined
				? config
				: undefined;
		};
		const min = bound("min") ?? bound("minlength");
		const max = bound("max") ?? bound("maxlength");
		if (min !== undefined) spec.min = min;
		if (max !== undefined) spec.max = max;
		if (attr(field, "defaultValue") !== undefined) {
			ctx.report.warn(el, "FORM_DEFAULT", `the default value of the form field ${id} is not kept`);
		}
		addQuestion(questions, id, spec, el, ctx);
	}
	return { kind: "form", questions, notes: [] };
}

const CAMUNDA_TYPES: Record<string, FieldType> = {
	string: "text",
	long: "integer",
	boolean: "checkbox",
	date: "date",
	enum: "select",
};

interface FormJsComponent {
	type?: string;
	key?: string;
	label?: string;
	text?: string;
	description?: string;
	disabled?: boolean;
	readonly?: boolean;
	subtype?: string;
	decimalDigits?: number;
	values?: { value?: unknown; label?: string }[];
	valuesKey?: string;
	valuesExpression?: string;
	validate?: {
		required?: boolean;
		min?: number;
		max?: number;
		minLength?: number;
		maxLength?: number;
	};
	components?: FormJsComponent[];
}

/** Camunda 8: a form-js form embedded in the process (`zeebe:userTaskForm`, JSON). */
function formJs(el: ModdleElement, form: ModdleElement, ctx: ImportContext): FormRead {
	let schema: { components?: FormJsComponent[] };
	try {
		schema = JSON.parse(typeof form.$body === "string" ? form.$body : "") as typeof schema;
	} catch {
		return { kind: "elsewhere", reference: `the embedded form ${form.id ?? ""} (not JSON)` };
	}
	const questions: Record<string, FieldSpec> = {};
	const notes: string[] = [];
	const visit = (components: FormJsComponent[] | undefined) => {
		for (const c of components ?? []) {
			if (c.type === "group") visit(c.components);
			else formJsField(c, questions, notes, el, ctx);
		}
	};
	visit(schema.components);
	return { kind: "form", questions, notes };
}

const FORM_JS_TYPES: Record<string, FieldType> = {
	textfield: "text",
	textarea: "longtext",
	number: "number",
	checkbox: "checkbox",
	radio: "select",
	select: "select",
	checklist: "json",
	taglist: "json",
};

/** What form-js shows without asking: text for the person, kept in the task's description. */
const FORM_JS_DISPLAY = new Set([
	"text",
	"html",
	"image",
	"spacer",
	"separator",
	"button",
	"iframe",
]);

function formJsField(
	c: FormJsComponent,
	questions: Record<string, FieldSpec>,
	notes: string[],
	el: ModdleElement,
	ctx: ImportContext,
): void {
	const type = c.type ?? "";
	if (FORM_JS_DISPLAY.has(type)) {
		if ((type === "text" || type === "html") && typeof c.text === "string") {
			const plain = oneLine(
				c.text
					.replace(/<\/?(p|br|div|h[1-6]|li|ul|ol|tr|td)\b[^>]*>/gi, " ")
					.replace(/<[^>]*>/g, ""),
			);
			if (plain !== "") notes.push(plain);
		}
		return;
	}
	if (!c.key) {
		ctx.report.warn(
			el,
			"FORM_FIELD_NOT_KEPT",
			`the form's ${type || "unknown"} component is not kept`,
		);
		return;
	}
	if (c.disabled || c.readonly) {
		readOnly(el, c.key, ctx);
		return;
	}
	let fieldType: FieldType | undefined =
		type === "datetime" ? (c.subtype === "date" ? "date" : undefined) : FORM_JS_TYPES[type];
	if (fieldType === undefined) {
		ctx.report.warn(el, "FORM_FIELD_TYPE", `the form field ${c.key} (${type}) is asked as text`);
		fieldType = "text";
	}
	if (fieldType === "number" && c.decimalDigits === 0) fieldType = "integer";
	const spec: FieldSpec = { label: label(c.label, c.key) };
	if (fieldType !== "text") spec.type = fieldType;
	if (typeof c.description === "string" && c.description.trim()) {
		spec.help = c.description.trim().slice(0, 1000);
	}
	if (fieldType === "select") {
		const options = (c.values ?? [])
			.map((v) => (v.value === undefined || v.value === null ? "" : String(v.value)))
			.filter((v) => v !== "")
			.slice(0, MAX_OPTIONS);
		if (options.length === 0) {
			ctx.report.warn(
				el,
				"FORM_OPTIONS",
				`the options of ${c.key} come from data at run time; it is asked as text`,
			);
			delete spec.type;
		} else spec.options = options;
	}
	if (fieldType === "json") {
		ctx.report.warn(
			el,
			"FORM_FIELD_TYPE",
			`the form field ${c.key} (${type}) is asked as a JSON list`,
		);
	}
	const v = c.validate ?? {};
	if (v.required) spec.required = true;
	const min = v.min ?? v.minLength;
	const max = v.max ?? v.maxLength;
	if (typeof min === "number") spec.min = min;
	if (typeof max === "number") spec.max = max;
	addQuestion(questions, c.key, spec, el, ctx);
}

function addQuestion(
	questions: Record<string, FieldSpec>,
	key: string,
	spec: FieldSpec,
	el: ModdleElement,
	ctx: ImportContext,
): void {
	const name = variableName(key);
	if (name !== key) {
		ctx.report.warn(
			el,
			"FORM_FIELD_RENAMED",
			`the form field "${key}" is the variable ${name} (a name of letters, digits and _)`,
		);
	}
	if (questions[name]) {
		ctx.report.warn(el, "FORM_FIELD_TWICE", `the form asks ${name} twice; the first is kept`);
		return;
	}
	questions[name] = spec;
	ctx.askedNames.add(name);
}

function readOnly(el: ModdleElement, key: string, ctx: ImportContext): void {
	ctx.report.warn(
		el,
		"FORM_READ_ONLY_FIELD",
		`the read-only form field ${key} is not shown: Baton's forms ask, they do not display process data`,
	);
}

function label(text: string | undefined, key: string): string {
	const chosen = text && oneLine(text) !== "" ? oneLine(text) : key;
	return chosen.slice(0, 200);
}
