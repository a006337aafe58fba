// The one field vocabulary of forms an author declares: the questions of an `ask` task and the
// start form of a workflow (T10). Each field becomes a zod schema, so the same rules check a
// submitted value, draw the form and report what is missing.
import { z } from "zod";

export const FIELD_TYPES = [
	"text",
	"longtext",
	"number",
	"integer",
	"date",
	"datetime",
	"select",
	"multiselect",
	"checkbox",
	"email",
	"url",
	"money",
	"file",
	"json",
] as const;

/** A file field's value: the attachment stored for it (its id, as uploaded, and its size). */
export const fileRefSchema = z.strictObject({
	id: z.string().regex(/^f-[0-9a-f]{32}$/),
	name: z.string().min(1).max(200),
	size: z.number().int().nonnegative(),
});

/** A field shown only when another field of the same form has a value (or that value). */
export const showIfSchema = z.strictObject({
	field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/),
	equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

export type FieldType = (typeof FIELD_TYPES)[number];

/** A field name: a plain identifier, so FEEL conditions can read it as `params.name`. */
export const fieldNameSchema = z
	.string()
	.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "a field name: a letter, then letters, digits, _");

export const fieldSpecSchema = z.strictObject({
	label: z.string().min(1).max(200),
	help: z.string().max(1000).optional(),
	type: z.enum(FIELD_TYPES).optional().meta({ description: "Default text" }),
	required: z.boolean().optional(),
	options: z.array(z.string().min(1).max(100)).max(50).optional(),
	min: z.number().optional(),
	max: z.number().optional(),
	/** `money`: the currency's code, shown beside the amount (EUR, USD…). */
	currency: z
		.string()
		.regex(/^[A-Z]{3}$/)
		.optional(),
	/** Shown, and required when `required`, only while another field has a value. */
	showIf: showIfSchema.optional(),
});

export type ShowIf = z.infer<typeof showIfSchema>;

export type FieldSpec = z.infer<typeof fieldSpecSchema>;

/** The zod schema of one field's value, with its label and help as metadata. */
export function fieldValueSchema(q: FieldSpec): z.ZodType {
	let schema: z.ZodType;
	switch (q.type ?? "text") {
		case "number":
		case "integer": {
			let n = q.type === "integer" ? z.number().int() : z.number();
			if (q.min !== undefined) n = n.min(q.min);
			if (q.max !== undefined) n = n.max(q.max);
			schema = n;
			break;
		}
		case "money": {
			// Amounts in a currency's minor unit: at most two decimals, kept as a number.
			let n = z
				.number()
				.refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, "at most two decimals");
			if (q.min !== undefined) n = n.refine((v) => v >= (q.min as number), `at least ${q.min}`);
			if (q.max !== undefined) n = n.refine((v) => v <= (q.max as number), `at most ${q.max}`);
			schema = n.meta({
				widget: "money",
				...(q.currency ? { currency: q.currency } : {}),
				...(q.min !== undefined ? { minimum: q.min } : {}),
				...(q.max !== undefined ? { maximum: q.max } : {}),
			});
			break;
		}
		case "date":
			schema = z.iso.date();
			break;
		case "datetime":
			// What a datetime-local control sends (2027-03-14T09:30), or a full ISO instant.
			schema = z.union([z.iso.datetime({ local: true }), z.iso.datetime({ offset: true })]).meta({
				widget: "datetime",
			});
			break;
		case "select":
			schema = z.enum((q.options ?? []) as [string, ...string[]]);
			break;
		case "multiselect": {
			let list = z.array(z.enum((q.options ?? []) as [string, ...string[]]));
			if (q.required) list = list.min(1);
			schema = list.meta({ widget: "multiselect" });
			break;
		}
		case "email":
			schema = z.email().max(254).meta({ widget: "email" });
			break;
		case "url":
			schema = z
				.url({ protocol: /^https?$/, hostname: z.regexes.domain })
				.max(2000)
				.meta({ widget: "url" });
			break;
		case "file":
			schema = fileRefSchema.meta({ widget: "file" });
			break;
		case "checkbox":
			schema = z.boolean();
			break;
		case "json":
			// Structured data (line items, a list of addresses): an object or a list, never a bare value.
			schema = z
				.union([z.array(z.json()), z.record(z.string(), z.json())])
				.meta({ widget: "json" });
			break;
		default: {
			let s = z.string().max(q.max ?? (q.type === "longtext" ? 10_000 : 1000));
			if (q.required) s = s.min(Math.max(1, q.min ?? 1));
			schema = q.type === "longtext" ? s.meta({ widget: "longtext" }) : s;
		}
	}
	const meta: Record<string, unknown> =
		q.help === undefined ? { title: q.label } : { title: q.label, description: q.help };
	if (q.showIf) meta.showIf = q.showIf;
	// A conditional field is optional to the schema; formOfFields requires it while it is shown.
	if (q.showIf && q.required) meta.requiredWhenShown = true;
	return (q.required && !q.showIf ? schema : schema.optional()).meta(meta);
}

/** True when the controlling value makes a conditional field shown (a value, or the one named). */
export function isShown(showIf: ShowIf, values: Record<string, unknown>): boolean {
	const value = values[showIf.field];
	if (showIf.equals !== undefined) {
		return Array.isArray(value) ? value.includes(showIf.equals) : value === showIf.equals;
	}
	if (Array.isArray(value)) return value.length > 0;
	return value !== undefined && value !== null && value !== "" && value !== false;
}

/**
 * A form: one field per entry, in order. A required field with `showIf` is required only while
 * it is shown (its controlling field has a value); hidden, whatever it holds is not checked.
 */
export function formOfFields(fields: Record<string, FieldSpec>): z.ZodObject {
	const shape: Record<string, z.ZodType> = {};
	for (const [name, q] of Object.entries(fields)) shape[name] = fieldValueSchema(q);
	const conditional = Object.entries(fields).filter(([, q]) => q.showIf && q.required);
	const form = z.object(shape);
	if (conditional.length === 0) return form;
	return form.superRefine((values, ctx) => {
		for (const [name, q] of conditional) {
			const v = (values as Record<string, unknown>)[name];
			const empty = v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
			if (q.showIf && isShown(q.showIf, values as Record<string, unknown>) && empty) {
				ctx.addIssue({ code: "custom", path: [name], message: "required" });
			}
		}
	});
}
