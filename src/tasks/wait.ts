// wait: STARTED until a date (`until`) or for a duration ("30s", "5m", "PT1H"); the process
// object's alarm fires it, no queue message sleeps.
import { z } from "zod";
import { parseDuration } from "../engine/index.ts";
import { defineTask } from "./define-task.ts";

export const wait = defineTask({
	name: "wait",
	title: "Wait",
	description: "Waits until a date, or for a duration.",
	mode: "timer",
	params: z
		.object({
			until: z
				.string()
				.refine((s) => !Number.isNaN(Date.parse(s)), "an ISO date, e.g. 2030-01-31T09:00:00Z")
				.optional()
				.meta({ title: "Until", description: "An ISO date or date-time" }),
			duration: z
				.string()
				.refine(
					(s) => parseDuration(s) !== null,
					'a duration such as "30s", "5m", "2h", "1d", "PT1H"',
				)
				.optional()
				.meta({ title: "Duration", description: '"30s", "5m", "2h", "1d" or ISO-8601 "PT1H"' }),
		})
		.refine((p) => p.until !== undefined || p.duration !== undefined, {
			message: "give until or duration",
			path: ["duration"],
		}),
	result: z.null(),
});
