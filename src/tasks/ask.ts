// ask: a form for a person. Its params are the questions; the form is built from them and the
// answers are the result.
import { z } from "zod";
import { defineTask } from "./define-task.ts";

const QUESTION_TYPES = [
	"text",
	"longtext",
	"number",
	"integer",
	"date",
	"select",
	"checkbox",
] as const;

const questionSchema = z.strictObject({
	label: z.string().min(1).max(200),
	help: z.string().max(1000).optional(),
	type: z.enum(QUESTION_TYPES).optional().meta({ description: "Default text" }),
	required: z.boolean().optional(),
	options: z.array(z.string().min(1).max(100)).max(50).optional(),
	min: z.number().optional(),
	max: z.number().optional(),
});

export type Question = z.infer<typeof questionSchema>;

const fieldName = z
	.string()
	.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "a field name: letters, digits, _");

/** The zod schema of one answer. */
function answerSchema(q: Question): z.ZodType {
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
		default: {
			let s = z.string().max(q.max ?? (q.type === "longtext" ? 10_000 : 1000));
			if (q.required) s = s.min(Math.max(1, q.min ?? 1));
			schema = q.type === "longtext" ? s.meta({ widget: "longtext" }) : s;
		}
	}
	const meta = q.help === undefined ? { title: q.label } : { title: q.label, description: q.help };
	return (q.required ? schema : schema.optional()).meta(meta);
}

/** The form of an ask task: one field per question, in order. */
export function formForQuestions(params: Record<string, unknown>): z.ZodObject {
	const parsed = z.record(fieldName, questionSchema).safeParse(params.questions);
	const shape: Record<string, z.ZodType> = {};
	if (parsed.success) {
		for (const [name, q] of Object.entries(parsed.data)) shape[name] = answerSchema(q);
	}
	return z.object(shape);
}

export const ask = defineTask({
	name: "ask",
	title: "Ask a person",
	description: "Shows a form built from its questions; the answers are the result.",
	mode: "input",
	params: z.object({
		questions: z.record(fieldName, questionSchema).meta({ title: "Questions" }),
	}),
	formFor: formForQuestions,
	result: z.record(z.string(), z.unknown()),
});
