// O2: moving a running process to another version of its workflow. A plan maps each node to its
// namesake in the target version (or as the admin says; null revokes its active tasks), each token
// to the transition between the mapped nodes, and names what cannot move and why. Applying it is
// one pure step on the state: nothing is created, so no task is created twice, and a dry run is
// the same computation, not committed.
import type { Actor } from "./commands.ts";
import type { CompiledWorkflow } from "./compiled.ts";
import { Draft } from "./draft.ts";
import type { Effect } from "./effects.ts";
import { revokeTask } from "./ending.ts";
import type { HistoryEvent } from "./events.ts";
import { recheckOrJoins } from "./firing.ts";
import { isTaskActive, type ProcessState, type StepContext } from "./state.ts";

/** Node key in the source version → node key in the target version, or null to revoke. */
export type NodeMapping = Record<string, string | null>;

export interface MigrationPlan {
	from: number;
	to: number;
	/** Active tasks that move, and to which node. */
	moves: { taskId: string; from: string; to: string }[];
	/** Active tasks revoked because their node maps to nothing. */
	revoked: { taskId: string; node: string }[];
	/** Waiting tokens and the transition of the target version they move to. */
	tokens: { arrival: string; from: string; to: string }[];
	/** Why the process cannot migrate; empty when it can. */
	blockers: string[];
}

export type MigrationOutcome =
	| {
			ok: true;
			plan: MigrationPlan;
			state: ProcessState;
			effects: Effect[];
			events: HistoryEvent[];
	  }
	| { ok: false; plan: MigrationPlan };

function target(
	mapping: NodeMapping,
	to: CompiledWorkflow,
	key: string,
): string | null | undefined {
	if (Object.hasOwn(mapping, key)) return mapping[key];
	return to.nodes.has(key) ? key : undefined;
}

/** O2: what migrating `state` from `from` to `to` with `mapping` would do, or why it cannot. */
export function planMigration(
	from: CompiledWorkflow,
	to: CompiledWorkflow,
	state: ProcessState,
	mapping: NodeMapping = {},
): MigrationPlan {
	const plan: MigrationPlan = {
		from: from.version,
		to: to.version,
		moves: [],
		revoked: [],
		tokens: [],
		blockers: [],
	};
	if (state.status !== "STARTED") {
		plan.blockers.push(`the process is ${state.status}: only a running process migrates`);
		return plan;
	}
	if (from.key !== to.key) plan.blockers.push(`version ${to.version} is of another workflow`);
	// So a repeated request (a bulk run resumed after a crash) records no second migration.
	else if (from.version === to.version) {
		plan.blockers.push(`the process is already on version ${to.version}`);
		return plan;
	}
	for (const [key, value] of Object.entries(mapping)) {
		if (!from.nodes.has(key))
			plan.blockers.push(`the mapping names "${key}", no node of version ${from.version}`);
		if (value !== null && value !== undefined && !to.nodes.has(value)) {
			plan.blockers.push(
				`the mapping sends "${key}" to "${value}", no node of version ${to.version}`,
			);
		}
	}
	for (const task of state.tasks) {
		if (!isTaskActive(task)) continue;
		const dest = target(mapping, to, task.node);
		if (dest === null) {
			plan.revoked.push({ taskId: task.id, node: task.node });
			continue;
		}
		if (dest === undefined) {
			plan.blockers.push(
				`task ${task.id} is at "${task.node}", which version ${to.version} does not have: map it to a node, or to nothing to revoke it`,
			);
			continue;
		}
		const a = from.nodes.get(task.node);
		const b = to.nodes.get(dest);
		if (!a || !b) continue;
		if (a.spec.name !== b.spec.name) {
			plan.blockers.push(
				`task ${task.id} runs "${a.spec.name}" at "${task.node}"; "${dest}" runs "${b.spec.name}"`,
			);
		} else if (Boolean(a.def.multiInstance) !== Boolean(b.def.multiInstance)) {
			plan.blockers.push(`"${task.node}" and "${dest}" differ in running once per item`);
		} else if (a.scope !== undefined && target(mapping, to, a.scope) !== b.scope) {
			plan.blockers.push(
				`task ${task.id} is inside scope "${a.scope}", "${dest}" is not inside its target`,
			);
		} else if (a.attachedTo !== undefined && target(mapping, to, a.attachedTo) !== b.attachedTo) {
			plan.blockers.push(`the boundary "${task.node}" would not be on its host's target "${dest}"`);
		}
		plan.moves.push({ taskId: task.id, from: task.node, to: dest });
	}
	for (const arrival of state.arrivals) {
		const t = from.transitions[arrival.transition];
		if (!t) continue;
		const fromKey = target(mapping, to, t.from);
		const toKey = target(mapping, to, t.to);
		const match = to.transitions.find((x) => x.from === fromKey && x.to === toKey && x.on === t.on);
		if (!match) {
			plan.blockers.push(
				`a token waits on "${t.from}" → "${t.to}", which version ${to.version} does not have`,
			);
			continue;
		}
		plan.tokens.push({
			arrival: arrival.id,
			from: `${t.from}→${t.to}`,
			to: `${match.from}→${match.to}`,
		});
	}
	for (const key of state.pendingStarts) {
		if (!target(mapping, to, key))
			plan.blockers.push(`the start "${key}" not yet created has no node in version ${to.version}`);
	}
	return plan;
}

/**
 * O2: applies the plan as one step (or answers why not): tasks renamed to their target nodes,
 * tokens moved to the target transitions, unmapped tasks revoked, the version changed, and the
 * history records who did it and what moved. OR joins are re-checked against the new graph.
 */
export function migrateProcess(
	from: CompiledWorkflow,
	to: CompiledWorkflow,
	state: ProcessState,
	mapping: NodeMapping,
	ctx: StepContext,
	actor?: Actor,
): MigrationOutcome {
	const plan = planMigration(from, to, state, mapping);
	if (actor && !actor.isAdmin) plan.blockers.push("only an admin may migrate a process");
	if (plan.blockers.length > 0) return { ok: false, plan };
	// Revocations run against the source graph (their effects name its task types).
	const before = new Draft(from, state, ctx);
	for (const { taskId } of plan.revoked) {
		revokeTask(
			before,
			before.task(taskId),
			`node removed by the migration to version ${to.version}`,
			actor?.id,
		);
	}
	const moved = new Map(plan.moves.map((m) => [m.taskId, m.to]));
	const transitionOf = (index: number): number => {
		const t = from.transitions[index];
		const match = t
			? to.transitions.find(
					(x) =>
						x.from === target(mapping, to, t.from) &&
						x.to === target(mapping, to, t.to) &&
						x.on === t.on,
				)
			: undefined;
		return match ? match.index : index;
	};
	const renamed: ProcessState = {
		...before.state,
		workflow: { key: to.key, version: to.version },
		tasks: before.state.tasks.map((task) => {
			const dest =
				moved.get(task.id) ?? (isTaskActive(task) ? undefined : target(mapping, to, task.node));
			// The tokens a task consumed move with it, so its history reads against the new graph.
			const firedBy = task.firedBy.map((a) => ({ ...a, transition: transitionOf(a.transition) }));
			return { ...task, firedBy, ...(dest ? { node: dest } : {}) };
		}),
		arrivals: before.state.arrivals.map((arrival) => ({
			...arrival,
			transition: transitionOf(arrival.transition),
		})),
		pendingStarts: before.state.pendingStarts.map((key) => target(mapping, to, key) ?? key),
	};
	const after = new Draft(to, renamed, ctx);
	after.log(
		"ProcessMigrated",
		undefined,
		{
			from: from.version,
			to: to.version,
			moves: plan.moves,
			revoked: plan.revoked,
			tokens: plan.tokens,
		},
		actor?.id,
	);
	recheckOrJoins(after);
	return {
		ok: true,
		plan,
		state: after.state,
		effects: [...before.effects, ...after.effects],
		events: [...before.events, ...after.events],
	};
}
