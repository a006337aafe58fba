// add: the original's classic arithmetic task (a + b, both integers 0..999).
import { z } from "zod";
import { defineTask } from "./define-task.ts";

const operand = (title: string) => z.number().int().min(0).max(999).meta({ title });

export const add = defineTask({
	name: "add",
	title: "Add two numbers",
	description: "Returns a + b.",
	params: z.object({ a: operand("First number"), b: operand("Second number") }),
	result: z.number().int(),
	runInline: ({ a, b }) => a + b,
});
