// wait: STARTED until a date (`until`), for a duration, on a cycle (`R3/PT1H`, boundaries only) or
// at its host's due date (`at: "due"`, boundaries only); the process object's alarm fires it, no
// queue message sleeps. `until` and `duration` may be FEEL (`= …`) over params and process.
import { z } from "zod";
import { isExpression, parseCycle, parseDuration } from "../engine/index.ts";
import { defineTask } from "./define-task.ts";

export const wait = defineTask({
	name: "wait",
	title: "Wait",
	description: "Waits until a date, for a duration, or (on a boundary) on a cycle or the due date.",
	mode: "timer",
	params: z
		.object({
			until: z
				.string()
				.refine(
					(s) => isExpression(s) || !Number.isNaN(Date.parse(s)),
					'an ISO date, e.g. 2030-01-31T09:00:00Z, or "= FEEL"',
				)
				.optional()
				.meta({ title: "Until", description: 'An ISO date or date-time, or "= FEEL"' }),
			duration: z
				.string()
				.refine(
					(s) => isExpression(s) || parseDuration(s) !== null,
					'a duration such as "30s", "5m", "2h", "1d", "PT1H", or "= FEEL"',
				)
				.optional()
				.meta({ title: "Duration", description: '"30s", "5m", "2h", "1d" or ISO-8601 "PT1H"' }),
			cycle: z
				.string()
				.refine((s) => parseCycle(s) !== null, 'a cycle such as "R3/PT1H" or "R/P1D"')
				.optional()
				.meta({ title: "Cycle", description: 'Repeats: "R3/PT1H" fires three times, hourly' }),
			at: z
				.enum(["due", "followUp"])
				.optional()
				.meta({ title: "At", description: "The host task's due or follow-up date" }),
		})
		.refine(
			(p) => [p.until, p.duration, p.cycle, p.at].filter((v) => v !== undefined).length === 1,
			{ message: "give one of until, duration, cycle or at", path: ["duration"] },
		),
	result: z.null(),
});
