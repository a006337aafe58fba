// Why a running process has not ended, in words: one reason per waiting task, waiting join or dead
// end, each with the rule that explains it. A process that stands still says what it waits for
// (the simulator prints these; a page can too). Pure: `now` is passed in.
import type { CompiledNode, CompiledWorkflow } from "./compiled.ts";
import { type CompiledCondition, evaluateCondition } from "./conditions.ts";
import { branchesStillComing } from "./join.ts";
import { mergeParams } from "./params.ts";
import { processScope } from "./process-scope.ts";
import { isStuck } from "./queries.ts";
import { findTask, isTaskActive, type ProcessState, type TaskState } from "./state.ts";

export interface WaitingReason {
	/** The rule of docs/semantics.md that explains it (T2, B3, N1, J2, R2, P5…), when one does. */
	rule?: string;
	/** The task it is about, when it is about one. */
	taskId?: string;
	node?: string;
	/** B3: when the timer is due (epoch ms), for a caller that stopped its clock earlier. */
	dueAt?: number;
	text: string;
}

/** Why a STARTED process has not ended, in task creation order, then joins, then the process. */
export function waitingReasons(
	workflow: CompiledWorkflow,
	state: ProcessState,
	now: number,
): WaitingReason[] {
	if (state.status !== "STARTED") return [];
	const routed = routedTasks(state);
	const stuck = isStuck(workflow, state);
	const reasons: WaitingReason[] = [];
	for (const task of state.tasks) {
		const node = workflow.nodes.get(task.node);
		if (!node) continue;
		const reason = isTaskActive(task)
			? whyActive(workflow, state, node, task, now)
			: deadEnd(workflow, state, node, task, routed, stuck);
		if (reason) reasons.push({ taskId: task.id, node: task.node, ...reason });
	}
	reasons.push(...joinsWaiting(workflow, state));
	if (
		state.stepsUsed >= state.stepBudget &&
		(state.arrivals.length > 0 || state.pendingStarts.length > 0)
	) {
		reasons.push({
			rule: "P7",
			text: `the step budget of ${state.stepBudget} tasks is spent: an admin may raise it`,
		});
	}
	if (stuck) {
		reasons.push({
			rule: "P5",
			text: "the process is stuck: no task is active and nothing can fire",
		});
	}
	return reasons;
}

/** A span of time as people read it: "2d 0h", "1h 30m", "5m 0s", "40s". */
export function formatSpan(ms: number): string {
	const s = Math.floor(Math.max(0, ms) / 1000);
	const [d, h, m] = [Math.floor(s / 86_400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
	if (d > 0) return `${d}d ${h}h`;
	if (h > 0) return `${h}h ${m}m`;
	if (m > 0) return `${m}m ${s % 60}s`;
	return `${s}s`;
}

type Reason = Omit<WaitingReason, "taskId" | "node">;

function whyActive(
	workflow: CompiledWorkflow,
	state: ProcessState,
	node: CompiledNode,
	task: TaskState,
	now: number,
): Reason | undefined {
	const who = nameOf(state, task);
	if (task.awaitingAssignee) {
		return { rule: "T3", text: `${who} waits for an assignee of role \`${task.role ?? ""}\`` };
	}
	if (task.awaitingInput) {
		const person =
			node.def.role === undefined ? "a person" : `a person of role \`${node.def.role}\``;
		const what =
			task.requiredFields.length > 0
				? `fill in: ${task.requiredFields.join(", ")}`
				: "answer its form";
		return { rule: "T2", text: `${who} waits for ${person} to ${what}` };
	}
	if (node.def.multiInstance && task.instanceOf === undefined) {
		if (!task.multi) return undefined;
		const left = task.multi.items.length - task.multi.completed;
		return {
			rule: "M1",
			text: `${who} waits for ${left} of its ${task.multi.items.length} instances`,
		};
	}
	switch (node.spec.mode) {
		case "timer":
			return timerReason(state, node, task, now);
		case "message":
			if (!task.message) return undefined;
			return {
				rule: "N1",
				text: `${who}${racing(state, task)} waits for message \`${task.message.name}\` ${keyText(task.message.correlationKey)}`,
			};
		case "subprocess": {
			const child = String(mergeParams(workflow, state, task).workflow ?? "");
			return {
				text: `${who} waits for its subprocess \`${task.childProcessId ?? ""}\` of workflow \`${child}\` to end`,
			};
		}
		case "scope":
			return scopeReason(state, task, who);
		case "job":
			return jobReason(task, who);
		default:
			return undefined;
	}
}

function timerReason(
	state: ProcessState,
	node: CompiledNode,
	task: TaskState,
	now: number,
): Reason | undefined {
	const who = `${nameOf(state, task)}${racing(state, task)}`;
	if (task.timerDueAt === undefined) {
		// B3: a timer at its host's due or follow-up date waits with a host that has none.
		const at = node.def.params?.at;
		const host = task.boundaryOf === undefined ? undefined : findTask(state, task.boundaryOf);
		if (!host || (at !== "due" && at !== "followUp")) return undefined;
		const date = at === "due" ? "due date" : "follow-up date";
		return { rule: "B3", text: `${who} never fires: its host \`${host.node}\` has no ${date}` };
	}
	const cycle = task.cycle
		? task.cycle.remaining === null
			? " (an endless cycle)"
			: ` (a cycle, ${task.cycle.remaining} more after it)`
		: "";
	// Rounded up to the second: a timer due in 59.9 s fires "in 1m 0s", not "in 59s".
	const left = Math.ceil((task.timerDueAt - now) / 1000) * 1000;
	return left > 0
		? { rule: "B3", dueAt: task.timerDueAt, text: `${who}${cycle} fires in ${formatSpan(left)}` }
		: {
				rule: "W1",
				dueAt: task.timerDueAt,
				text: `${who}${cycle} is due and fires on the next alarm`,
			};
}

/** C1: a scope waits for its inner flow; one with nothing left inside is stuck (P5, one level in). */
function scopeReason(state: ProcessState, scope: TaskState, who: string): Reason {
	const alive =
		state.tasks.some((t) => t.scope === scope.id && isTaskActive(t)) ||
		state.arrivals.some((a) => a.scope === scope.id);
	return alive
		? { rule: "C1", text: `${who} waits for its inner flow to reach an end node` }
		: { rule: "P5", text: `${who} is stuck: nothing inside it is active and nothing can fire` };
}

function jobReason(task: TaskState, who: string): Reason {
	if (task.status === "RETRY") {
		const error = task.error ? `: ${task.error.message}` : "";
		return { rule: "T6", text: `${who} waits for attempt ${task.attempt} after a failure${error}` };
	}
	if (task.status === "STARTED")
		return { rule: "T5", text: `${who} is running (attempt ${task.attempt})` };
	return { rule: "T5", text: `${who} waits for its job to run (attempt ${task.attempt})` };
}

/**
 * R2: a task that succeeded but left no arrival on any route, because none of its conditions held.
 * Conditions are evaluated again, so a route whose arrival a join consumed or discarded (J3) is
 * not mistaken for one that never matched. A node with no route out at all is named only when the
 * process is stuck (P5): a branch may well end there (a reminder) while the rest goes on.
 */
function deadEnd(
	workflow: CompiledWorkflow,
	state: ProcessState,
	node: CompiledNode,
	task: TaskState,
	routed: ReadonlySet<string>,
	stuck: boolean,
): Reason | undefined {
	if (task.status !== "SUCCESS" || task.instanceOf !== undefined || node.def.end) return undefined;
	if (routed.has(task.id)) return undefined;
	const scope = task.scope === undefined ? undefined : findTask(state, task.scope);
	if (scope && !isTaskActive(scope)) return undefined;
	const who = nameOf(state, task);
	if (node.outgoing.length === 0) {
		if (!stuck) return undefined;
		return {
			rule: "R2",
			text: `${who} ended, but no transition leads out of it and it is not an end node`,
		};
	}
	const conditions = node.outgoing
		.map((i) => workflow.transitions[i]?.condition)
		.filter((c): c is CompiledCondition => c !== undefined);
	const seen = {
		result: task.result ?? null,
		params: mergeParams(workflow, state, task),
		process: processScope(workflow, state),
	};
	if (conditions.some((c) => evaluateCondition(c, seen))) return undefined;
	const expected = conditions.map((c) =>
		c.kind === "literal" ? `\`${String(c.value)}\`` : c.kind === "feel" ? `\`${c.source}\`` : "",
	);
	return {
		rule: "R2",
		text: `no transition out of ${who} matches its result ${shown(task.result ?? null)}: expected ${listed(expected)}`,
	};
}

/** J2, J4: AND and OR joins holding arrivals of a scope instance while others have yet to come. */
function joinsWaiting(workflow: CompiledWorkflow, state: ProcessState): WaitingReason[] {
	const reasons: WaitingReason[] = [];
	for (const node of workflow.nodes.values()) {
		if (node.incoming.length < 2 || node.join === "xor") continue;
		const held = state.arrivals.filter((a) => node.incoming.includes(a.transition));
		for (const scope of new Set(held.map((a) => a.scope))) {
			const missing =
				node.join === "and"
					? node.incoming.filter((t) => !held.some((a) => a.transition === t && a.scope === scope))
					: branchesStillComing(workflow, state, node, undefined, scope);
			// None missing: the join would fire, so the step budget holds it (P7, reported apart).
			if (missing.length === 0) continue;
			const parents = [...new Set(missing.map((t) => workflow.transitions[t]?.from ?? ""))];
			reasons.push({
				rule: node.join === "and" ? "J2" : "J4",
				node: node.key,
				text: `\`${node.key}\` waits for ${listed(
					parents.map((p) => `\`${p}\``),
					"and",
				)}`,
			});
		}
	}
	return reasons;
}

/** The ids of tasks whose routing left an arrival, consumed (a task's firedBy) or not. */
function routedTasks(state: ProcessState): Set<string> {
	const routed = new Set(state.arrivals.map((a) => a.fromTask));
	for (const task of state.tasks) for (const a of task.firedBy) routed.add(a.fromTask);
	return routed;
}

/** `node`, its instance number (M1) and, for a boundary listener, its host (B1). */
function nameOf(state: ProcessState, task: TaskState): string {
	const instance = task.instanceIndex === undefined ? "" : ` #${task.instanceIndex + 1}`;
	const host = task.boundaryOf === undefined ? undefined : findTask(state, task.boundaryOf);
	return `\`${task.node}\`${instance}${host ? ` on \`${host.node}\`` : ""}`;
}

/** E1: the other waits still racing this one after an event-based gateway. */
function racing(state: ProcessState, task: TaskState): string {
	if (task.raceOf === undefined) return "";
	const others = state.tasks.filter(
		(t) => t.raceOf === task.raceOf && t.id !== task.id && isTaskActive(t),
	);
	return others.length === 0 ? "" : ` (racing ${listed(others.map((t) => `\`${t.node}\``))})`;
}

function keyText(key: string): string {
	return key === "" ? "with no key" : `with key \`${key}\``;
}

function shown(result: unknown): string {
	const text = typeof result === "string" ? result : JSON.stringify(result);
	return `\`${text.length > 60 ? `${text.slice(0, 59)}…` : text}\``;
}

/** "a", "a or b", "a, b or c" (or "and"). */
function listed(items: readonly string[], conjunction: "or" | "and" = "or"): string {
	if (items.length <= 1) return items.join("");
	return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}
