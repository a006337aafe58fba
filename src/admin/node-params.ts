// A node's params as a form generated from its task type's params schema (the same schema that
// makes the task's form for people, T2): one field per schema property, typed from its JSON
// Schema, plus a JSON box for any other params. Nothing is required here: a person of the node's
// role may supply a missing value when the task runs, and compileWorkflow checks the types (D2).
import { z } from "zod";
import type { JsonSchemaField, TaskTypeSpec } from "../engine/index.ts";
import { type QuestionRow, questionRows, readQuestionRows } from "./ask-questions.ts";

export type ParamFieldKind =
	| "text"
	| "longtext"
	| "number"
	| "integer"
	| "yesno"
	| "select"
	| "json"
	/** An `ask` node's questions: edited as rows of a form (./ask-questions.ts), not as JSON. */
	| "questions";

export interface ParamField {
	name: string;
	label: string;
	help?: string;
	kind: ParamFieldKind;
	/** The task cannot run without it (a person supplies it when the node leaves it empty). */
	neededToRun: boolean;
	min?: number;
	max?: number;
	options?: string[];
	/** The schema's default, shown as a placeholder. */
	placeholder?: string;
	/** The value as the form shows it (JSON text for the json kind); "" when unset. */
	value: string;
	/** The questions kind: one row per question, then blank rows for new ones. */
	rows?: QuestionRow[];
}

type JsonSchemaProp = JsonSchemaField;

/** The params fields of a task type, with the values of `params`. */
export function paramFieldsFor(spec: TaskTypeSpec, params: Record<string, unknown>): ParamField[] {
	const json = z.toJSONSchema(spec.params, { io: "input", unrepresentable: "any" }) as {
		properties?: Record<string, JsonSchemaProp>;
		required?: string[];
	};
	const required = new Set(json.required ?? []);
	return Object.entries(json.properties ?? {}).map(([name, prop]) => {
		const kind = spec.name === "ask" && name === "questions" ? "questions" : kindOf(prop);
		const field: ParamField = {
			name,
			label: prop.title ?? name,
			kind,
			neededToRun: required.has(name) && prop.default === undefined,
			value: showParam(kind, params[name]),
		};
		if (prop.description !== undefined) field.help = prop.description;
		const min = prop.minimum ?? prop.minLength;
		const max = prop.maximum ?? prop.maxLength;
		if (min !== undefined && kind !== "json") field.min = min;
		if (max !== undefined && kind !== "json" && max < Number.MAX_SAFE_INTEGER) field.max = max;
		if (prop.enum) field.options = prop.enum.map(String);
		if (prop.default !== undefined) field.placeholder = showParam(kind, prop.default);
		if (kind === "questions") field.rows = questionRows(params[name]);
		return field;
	});
}

/** The other params of a node: those its task type's schema does not name, as a JSON object text. */
export function extraParamsText(
	spec: TaskTypeSpec | undefined,
	params: Record<string, unknown>,
): string {
	const known = new Set(spec ? Object.keys(spec.params.shape) : []);
	const extra = Object.fromEntries(Object.entries(params).filter(([k]) => !known.has(k)));
	return Object.keys(extra).length === 0 ? "" : JSON.stringify(extra, null, 2);
}

export interface ReadParams {
	params: Record<string, unknown>;
	/** By form field name (`param.<name>` or `params_extra`). */
	errors: Record<string, string>;
}

/**
 * Reads the posted params form back: `param.<name>` fields as the schema of `fieldsOf` types them
 * (empty means unset), then `params_extra`, a JSON object of any other params.
 */
export function readParams(
	fieldsOf: TaskTypeSpec | undefined,
	posted: Record<string, string | undefined>,
): ReadParams {
	const params: Record<string, unknown> = {};
	const errors: Record<string, string> = {};
	const extraText = (posted.params_extra ?? "").trim();
	if (extraText !== "") {
		const extra = parseJson(extraText);
		if (!extra.ok || !isPlainObject(extra.value)) {
			errors.params_extra = extra.ok
				? 'Write a JSON object, e.g. {"region": "EU"}.'
				: `This is not valid JSON: ${extra.message}`;
		} else {
			Object.assign(params, extra.value);
		}
	}
	for (const field of fieldsOf ? paramFieldsFor(fieldsOf, {}) : []) {
		const name = `param.${field.name}`;
		if (field.kind === "questions") {
			const read = readQuestionRows(posted);
			if (read) {
				if (Object.keys(read.questions).length > 0) params[field.name] = read.questions;
				Object.assign(errors, read.errors);
				continue;
			}
		}
		const raw = (posted[name] ?? "").trim();
		if (raw === "") continue;
		const read = readValue(field, raw);
		if (read.ok) params[field.name] = read.value;
		else errors[name] = read.message;
	}
	return { params, errors };
}

/** The posted params for moving them to another task type's fields: unreadable values stay text. */
export function readParamsLoose(
	fieldsOf: TaskTypeSpec | undefined,
	posted: Record<string, string | undefined>,
): Record<string, unknown> {
	const { params, errors } = readParams(fieldsOf, posted);
	for (const name of Object.keys(errors)) {
		// A question row's cell (param.questions.0.name) is not a param of its own.
		if (name.startsWith("param.") && !name.slice("param.".length).includes("."))
			params[name.slice("param.".length)] = (posted[name] ?? "").trim();
	}
	return params;
}

function readValue(
	field: ParamField,
	raw: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
	switch (field.kind) {
		case "number":
		case "integer": {
			const n = Number(raw);
			if (!Number.isFinite(n)) return { ok: false, message: `${field.label}: write a number.` };
			if (field.kind === "integer" && !Number.isInteger(n)) {
				return { ok: false, message: `${field.label}: write a whole number.` };
			}
			return { ok: true, value: n };
		}
		case "yesno":
			if (raw === "true" || raw === "false") return { ok: true, value: raw === "true" };
			return { ok: false, message: `${field.label}: choose yes or no.` };
		case "select":
			if (field.options?.includes(raw)) return { ok: true, value: raw };
			return { ok: false, message: `${field.label}: choose one of ${field.options?.join(", ")}.` };
		case "questions":
		case "json": {
			const parsed = parseJson(raw);
			if (parsed.ok) return parsed;
			return { ok: false, message: `${field.label}: not valid JSON (${parsed.message}).` };
		}
		default:
			return { ok: true, value: raw };
	}
}

function kindOf(prop: JsonSchemaProp): ParamFieldKind {
	if (prop.enum) return "select";
	if (prop.$ref || prop.anyOf) return "json";
	const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== "null") : prop.type;
	switch (type) {
		case "string":
			return prop.widget === "longtext" ? "longtext" : "text";
		case "integer":
			return "integer";
		case "number":
			return "number";
		case "boolean":
			return "yesno";
		default:
			return "json";
	}
}

function showParam(kind: ParamFieldKind, value: unknown): string {
	if (value === undefined) return "";
	if (kind === "json" || kind === "questions") return JSON.stringify(value, null, 2);
	if (typeof value === "object" && value !== null) return JSON.stringify(value);
	return String(value);
}

/** JSON.parse as a value, with the parser's message on failure. */
export function parseJson(
	text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (e) {
		return { ok: false, message: (e as Error).message };
	}
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
