// A generated form, both ways: the engine's form fields (describeForm) turned into controls with
// what the person typed and the errors next to them, and a posted form turned back into typed
// values for SubmitValues. The engine stays the judge of validity (T4); this module only words its
// verdicts for people and keeps what they typed.
import type { FormField } from "../../engine/index.ts";

/** A form field as a control: the engine's field, its id, and the text in it. */
export interface FieldView extends Omit<FormField, "value"> {
	/** The control's id; the label, help and error ids derive from it. */
	id: string;
	/** The text in the control (what was typed, else the known value). */
	value: string;
	checked: boolean;
	error?: string;
	/** The task waits for this field (T2). */
	isMissing: boolean;
}

export type PostedBody = Record<string, string | File | (string | File)[]>;

/** The raw strings a person typed, by field name (kept when the form comes back with errors). */
export type Typed = Record<string, string>;

export function fieldId(prefix: string, name: string): string {
	return `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** The controls of a form: known values, or what was typed, with errors by field. */
export function fieldViews(
	fields: FormField[],
	options: {
		prefix: string;
		missing?: readonly string[];
		typed?: Typed;
		errors?: Record<string, string>;
	},
): FieldView[] {
	const missing = new Set(options.missing ?? []);
	return fields.map((f) => {
		const typed = options.typed?.[f.name];
		const view: FieldView = {
			name: f.name,
			id: fieldId(options.prefix, f.name),
			label: f.label,
			kind: f.kind,
			required: f.required,
			value: typed ?? displayValue(f),
			checked:
				f.kind === "checkbox" ? (options.typed ? typed !== undefined : f.value === true) : false,
			isMissing: missing.has(f.name),
		};
		if (f.help !== undefined) view.help = f.help;
		const min = realBound(f.min);
		const max = realBound(f.max);
		if (min !== undefined) view.min = min;
		if (max !== undefined) view.max = max;
		if (f.options) view.options = f.options;
		if (f.currency) view.currency = f.currency;
		if (f.showIf) view.showIf = f.showIf;
		const error = options.errors?.[f.name];
		if (error !== undefined) view.error = error;
		return view;
	});
}

function displayValue(f: FormField): string {
	const v = f.value;
	if (v === undefined || v === null) return "";
	if (typeof v === "string") {
		if (f.kind === "date") return v.slice(0, 10);
		// A datetime-local control shows minutes, in the form's own notation (no zone).
		if (f.kind === "datetime") return v.slice(0, 16);
		return v;
	}
	if (f.kind === "multiselect" && Array.isArray(v)) return v.map(String).join("\n");
	if (f.kind === "file" && typeof v === "object") return (v as { name?: string }).name ?? "";
	if (typeof v === "number" || typeof v === "boolean") return String(v);
	return JSON.stringify(v, null, f.kind === "json" ? 2 : undefined);
}

function firstString(value: PostedBody[string] | undefined): string | undefined {
	const v = Array.isArray(value) ? value[0] : value;
	return typeof v === "string" ? v : undefined;
}

/**
 * The posted form as typed strings and as values for SubmitValues: numbers as numbers, checkboxes
 * as booleans, empty fields left out (so the engine reports them as missing). A field whose value
 * equals what is already known is left out too, so the history records what the person supplied.
 */
export function parsePosted(
	fields: FormField[],
	body: PostedBody,
	missing: readonly string[] = [],
): { values: Record<string, unknown>; typed: Typed } {
	const values: Record<string, unknown> = {};
	const typed: Typed = {};
	const needed = new Set(missing);
	for (const f of fields) {
		// A file field's upload is stored by the route, which sets its value (the stored file).
		if (f.kind === "file") continue;
		const raw = firstString(body[f.name]);
		let value: unknown;
		if (f.kind === "multiselect") {
			const posted = body[f.name];
			const list = (Array.isArray(posted) ? posted : posted === undefined ? [] : [posted]).filter(
				(x): x is string => typeof x === "string" && x !== "",
			);
			typed[f.name] = list.join("\n");
			const known = Array.isArray(f.value) ? f.value : [];
			value = list.length > 0 || known.length > 0 ? list : undefined;
			if (
				value !== undefined &&
				!needed.has(f.name) &&
				JSON.stringify(known) === JSON.stringify(list)
			)
				continue;
			if (value !== undefined) values[f.name] = value;
			continue;
		}
		if (f.kind === "checkbox") {
			if (raw !== undefined) typed[f.name] = raw;
			value = raw !== undefined && raw !== "false";
		} else {
			const text = (raw ?? "").replace(/\r\n/g, "\n");
			typed[f.name] = text;
			const trimmed = text.trim();
			if (trimmed === "") {
				// Clearing a known optional text sends "", anything else empty stays unsent.
				value =
					(f.kind === "text" || f.kind === "longtext") &&
					typeof f.value === "string" &&
					f.value !== ""
						? ""
						: undefined;
			} else if (f.kind === "number" || f.kind === "integer" || f.kind === "money") {
				const n = Number(trimmed);
				value = Number.isFinite(n) ? n : trimmed;
			} else if (
				f.kind === "date" ||
				f.kind === "select" ||
				f.kind === "datetime" ||
				f.kind === "email" ||
				f.kind === "url"
			) {
				value = trimmed;
			} else if (f.kind === "json") {
				// Unreadable JSON goes on as text, which the engine refuses for this field (T2, T10).
				try {
					value = JSON.parse(trimmed);
				} catch {
					value = trimmed;
				}
			} else {
				value = text;
			}
		}
		if (value === undefined) continue;
		if (!needed.has(f.name) && f.value !== undefined && f.value === value) continue;
		values[f.name] = value;
	}
	return { values, typed };
}

/**
 * The engine's per-field messages (zod's words) reworded for people, using the field's kind and
 * bounds and what was typed. Messages for fields the form does not show are kept under their key.
 */
export function friendlyErrors(
	fields: FormField[],
	engineErrors: Record<string, string>,
	typed: Typed,
): Record<string, string> {
	const byName = new Map(fields.map((f) => [f.name, f]));
	const out: Record<string, string> = {};
	for (const [name, message] of Object.entries(engineErrors)) {
		const field = byName.get(name);
		out[name] = field ? friendlyError(field, typed[name], message) : sentence(message);
	}
	return out;
}

/**
 * A bound people should see: zod gives every integer the safe-integer range, which is no real
 * limit for a person typing a number.
 */
export function realBound(bound: number | undefined): number | undefined {
	if (bound === undefined || Math.abs(bound) >= Number.MAX_SAFE_INTEGER) return undefined;
	return bound;
}

export function friendlyError(
	field: FormField,
	typed: string | undefined,
	message: string,
): string {
	const text = (typed ?? "").trim();
	const label = field.label;
	const min = realBound(field.min);
	const max = realBound(field.max);
	if (text === "" && field.kind !== "checkbox") {
		switch (field.kind) {
			case "select":
				return `Choose an option for “${label}”.`;
			case "date":
				return `Enter a date for “${label}”.`;
			case "datetime":
				return `Enter a date and time for “${label}”.`;
			case "multiselect":
				return `Choose at least one option for “${label}”.`;
			case "file":
				return `Attach a file for “${label}”.`;
			case "money":
				return `Enter an amount for “${label}”.`;
			case "number":
			case "integer":
				return `Enter a number for “${label}”.`;
			default:
				return `Enter a value for “${label}”.`;
		}
	}
	if (field.kind === "number" || field.kind === "integer") {
		const n = Number(text);
		if (!Number.isFinite(n)) return `“${label}” must be a number, like 12.`;
		if (field.kind === "integer" && !Number.isInteger(n))
			return `“${label}” must be a whole number.`;
		if (min !== undefined && max !== undefined && (n < min || n > max)) {
			return `“${label}” must be between ${min} and ${max}.`;
		}
		if (min !== undefined && n < min) return `“${label}” must be ${min} or more.`;
		if (max !== undefined && n > max) return `“${label}” must be ${max} or less.`;
	}
	if (field.kind === "date") return `Enter a real date for “${label}”, like 2027-03-14.`;
	if (field.kind === "datetime") {
		return `Enter a real date and time for “${label}”, like 2027-03-14 09:30.`;
	}
	if (field.kind === "email")
		return `Enter an email address for “${label}”, like name@example.com.`;
	if (field.kind === "url") {
		return `Enter a web address for “${label}” starting with https://, like https://example.com.`;
	}
	if (field.kind === "money") {
		const n = Number(text);
		if (!Number.isFinite(n)) return `“${label}” must be an amount, like 12.50.`;
		if (min !== undefined && n < min) return `“${label}” must be ${min} or more.`;
		if (max !== undefined && n > max) return `“${label}” must be ${max} or less.`;
		return `“${label}” must be an amount with at most two decimals, like 12.50.`;
	}
	if (field.kind === "multiselect") return `Choose only the options offered for “${label}”.`;
	if (field.kind === "json") {
		return `“${label}” must be a JSON object or list, like ["office", "paper"] or {"qty": 2}.`;
	}
	if (field.kind === "select") return `Choose one of the options for “${label}”.`;
	if (field.kind === "text" || field.kind === "longtext") {
		if (max !== undefined && text.length > max) {
			return `“${label}” must be at most ${max} characters.`;
		}
		if (min !== undefined && text.length < min) {
			return `“${label}” must be at least ${min} characters.`;
		}
	}
	return `“${label}”: ${sentence(message)}`;
}

function sentence(message: string): string {
	const m = message.trim();
	if (m === "") return "This value is not valid.";
	const capital = `${m[0]?.toUpperCase()}${m.slice(1)}`;
	return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
