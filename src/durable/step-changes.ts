// What a committed step changed, for the ProcessObject's writes: whether anything changed at all,
// which task rows of the D1 index to rewrite, and whether that rewrite may wait a moment.
import type {
	Command,
	CompleteReply,
	Effect,
	HistoryEvent,
	ProcessState,
} from "../engine/index.ts";

export function isSameState(a: ProcessState, b: ProcessState): boolean {
	return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Tasks whose row in the D1 index must be rewritten after a step. */
export function changedTaskIds(before: ProcessState, after: ProcessState): string[] {
	const old = new Map(before.tasks.map((t) => [t.id, t]));
	const changed: string[] = [];
	for (const task of after.tasks) {
		const prior = old.get(task.id);
		if (prior !== task && JSON.stringify(prior) !== JSON.stringify(task)) changed.push(task.id);
	}
	return changed;
}

/**
 * A step in the middle of automated work — a claim, a progress report, a lease renewed or a lock
 * extended, a step whose only effects are dispatches to the queue or offers to external workers
 * (K1), or a completion that claimed the next jobs for its worker (T14) — leaves the process busy:
 * its index row may wait a moment and be merged with the next (outbox-drain.ts, `indexDue`).
 */
export function indexMayWait(
	command: Command,
	outcome: { state: ProcessState; effects: Effect[]; events: HistoryEvent[]; reply?: unknown },
): boolean {
	if (outcome.state.status !== "STARTED") return false;
	if (!outcome.effects.every((e) => e.type === "DispatchTask" || e.type === "OfferTask"))
		return false;
	if (outcome.events.some((e) => e.type === "IncidentRaised" || e.type === "IncidentResolved"))
		return false;
	return (
		outcome.effects.length > 0 ||
		((outcome.reply as CompleteReply | undefined)?.next?.length ?? 0) > 0 ||
		command.type === "ClaimTask" ||
		command.type === "ReportProgress" ||
		command.type === "RenewLease" ||
		command.type === "ExtendLock"
	);
}
