// ask: a form for a person. Its params are the questions; the form is built from them and the
// answers are the result.
import { z } from "zod";
import { fieldNameSchema, fieldSpecSchema, formOfFields } from "../engine/index.ts";
import { defineTask } from "./define-task.ts";

/** The form of an ask task: one field per question, in order. */
export function formForQuestions(params: Record<string, unknown>): z.ZodObject {
	const parsed = z.record(fieldNameSchema, fieldSpecSchema).safeParse(params.questions);
	return formOfFields(parsed.success ? parsed.data : {});
}

export const ask = defineTask({
	name: "ask",
	title: "Ask a person",
	description: "Shows a form built from its questions; the answers are the result.",
	mode: "input",
	params: z.object({
		questions: z.record(fieldNameSchema, fieldSpecSchema).meta({ title: "Questions" }),
	}),
	formFor: formForQuestions,
	result: z.record(z.string(), z.unknown()),
});
