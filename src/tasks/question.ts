// question: the original's human question. A person supplies `answer`; until then the task waits
// PENDING for it (T2); then the job returns the answer. The title and description are the author's
// words, shown as text (T11).
import { z } from "zod";
import { defineTask } from "./define-task.ts";

export const question = defineTask({
	name: "question",
	title: "Answer a question",
	description: "A person answers; the answer is the result.",
	params: z.object({
		title: z.string().min(1).max(100).meta({ title: "Question" }),
		description: z.string().max(2000).optional().meta({ title: "Details", widget: "longtext" }),
		answer: z.string().min(1).max(1000).meta({ title: "Answer" }),
	}),
	shows: ["title", "description"],
	result: z.string(),
	runInline: ({ answer }) => answer,
});
