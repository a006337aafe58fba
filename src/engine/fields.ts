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
	"select",
	"checkbox",
	"json",
] as const;

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
});

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
		case "date":
			schema = z.iso.date();
			break;
		case "select":
			schema = z.enum((q.options ?? []) as [string, ...string[]]);
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
	const meta = q.help === undefined ? { title: q.label } : { title: q.label, description: q.help };
	return (q.required ? schema : schema.optional()).meta(meta);
}

/** A form: one field per entry, in order. */
export function formOfFields(fields: Record<string, FieldSpec>): z.ZodObject {
	const shape: Record<string, z.ZodType> = {};
	for (const [name, q] of Object.entries(fields)) shape[name] = fieldValueSchema(q);
	return z.object(shape);
}
