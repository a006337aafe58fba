// error: on an end node, an error end event (X1): its scope or process ends in FAILURE with this
// code. With `attachedTo`, an error boundary (B4): catches its host's failure with this code (or
// any code when none is given) and takes its own path.
import { z } from "zod";
import { defineTask } from "./define-task.ts";

export const error = defineTask({
	name: "error",
	title: "Error",
	description: "Ends with an error code, or (as a boundary) catches one.",
	mode: "error",
	params: z.object({
		code: z.string().min(1).max(100).optional().meta({ title: "Error code" }),
		message: z.string().max(500).optional().meta({ title: "Message" }),
	}),
});
