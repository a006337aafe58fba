// Task types for engine tests: the built-ins plus a few with small, explicit retry policies.
import { z } from "zod";
import { defineTask } from "../../../src/tasks/define-task.ts";
import { builtinTaskTypes, createRegistry } from "../../../src/tasks/registry.ts";

/** A job with no params, 2 retries, 10 s backoff doubling. */
export const job = defineTask({
	name: "job",
	params: z.object({}),
	retry: { limit: 2, backoffSeconds: 10, factor: 2, maxBackoffSeconds: 25 },
});

/** A job that needs an integer `x` (T2: waits for a person when it is missing). */
export const needsX = defineTask({
	name: "needs-x",
	params: z.object({
		x: z.number().int().min(0).max(9).meta({ title: "X", description: "0 to 9" }),
	}),
	retry: { limit: 0 },
});

/** A pure job that may run inline (T9): a ÷ b, and a throw when b is 0. */
export const divide = defineTask({
	name: "divide",
	params: z.object({ a: z.number(), b: z.number() }),
	runInline: ({ a, b }) => {
		if (b === 0) throw new Error("division by zero");
		return a / b;
	},
});

/** Declared pure but asynchronous: an inline node must refuse it (T9). */
export const lateAnswer = defineTask({
	name: "late-answer",
	params: z.object({}),
	runInline: async () => 42,
});

export const testCatalog = createRegistry([...builtinTaskTypes, job, needsX, divide, lateAnswer]);
