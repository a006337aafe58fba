// dummy: does nothing and returns null. Handy for routing-only nodes and tests.
import { z } from "zod";
import { defineTask } from "./define-task.ts";

export const dummy = defineTask({
	name: "dummy",
	title: "Do nothing",
	description: "Succeeds at once with no result.",
	params: z.object({}),
	result: z.null(),
	runInline: () => null,
});
