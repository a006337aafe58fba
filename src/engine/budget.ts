// P7: the step budget. Every task creation spends one step; past the budget nothing is created,
// an incident is raised once, and the firings wait (arrivals stay unconsumed) until it is raised.
import type { Draft } from "./draft.ts";

/** P7: whether one more task may be created. */
export function hasBudget(d: Draft): boolean {
	return d.state.stepsUsed < d.state.stepBudget;
}

/** P7: records that a firing was held back; one open incident per exhaustion. */
export function noteBudgetExhausted(d: Draft): void {
	const open = d.state.incidents.some(
		(i) => i.kind === "step_budget" && i.resolvedAt === undefined,
	);
	if (open) return;
	d.log("StepBudgetExhausted", undefined, {
		stepBudget: d.state.stepBudget,
		stepsUsed: d.state.stepsUsed,
	});
	d.raiseIncident(
		"step_budget",
		`the process used its step budget of ${d.state.stepBudget} task creations; raise it to resume`,
	);
}

/** P7: closes the step-budget incident after the budget was raised. */
export function resolveBudgetIncidents(d: Draft): void {
	for (const incident of d.state.incidents) {
		if (incident.kind === "step_budget" && incident.resolvedAt === undefined) {
			incident.resolvedAt = d.now;
			d.log("IncidentResolved", undefined, { incident: incident.id });
		}
	}
}
