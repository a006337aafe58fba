// scope: an embedded subprocess (C1). The node's own `nodes` and `transitions` run inside it; it
// succeeds when an inner end node does, and a boundary on it covers every task inside.
import { z } from "zod";
import { defineTask } from "./define-task.ts";

export const scope = defineTask({
	name: "scope",
	title: "Group of steps",
	description: "Runs its inner steps; ends when they reach an end.",
	mode: "scope",
	params: z.object({}),
});
