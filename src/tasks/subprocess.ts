// subprocess: starts a child process of another workflow and waits for it; it then takes the
// child's final status, and its result is the child's results.
import { z } from "zod";
import { defineTask } from "./define-task.ts";

export const subprocess = defineTask({
	name: "subprocess",
	title: "Run another workflow",
	description: "Starts a child process and waits until it ends.",
	mode: "subprocess",
	params: z.object({
		workflow: z.string().min(1).max(64).meta({ title: "Workflow key" }),
		version: z.number().int().min(1).optional().meta({ title: "Version" }),
		params: z.record(z.string(), z.json()).optional().meta({ title: "Child process params" }),
	}),
	result: z.array(z.unknown()),
});
