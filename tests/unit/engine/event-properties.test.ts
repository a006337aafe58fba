// Properties of the time and event constructs under random schedules: boundary timers fire at most
// once per due time and never after their host ended (B1, B3), an interrupting boundary revokes its
// host exactly once (B2), a multi-instance node completes once with results in item order (M1),
// scopes end exactly once (C1), and nothing stays active on a host, scope or body that ended.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	type Command,
	isProcessFinished,
	isTaskActive,
	type ProcessState,
	type TaskState,
} from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

const END = { end: true, task: "dummy", inline: true } as const;

interface Spec {
	items: number;
	sequential: boolean;
	interruptAfterHours: number;
	reminder: string;
}

const specArb: fc.Arbitrary<Spec> = fc.record({
	items: fc.integer({ min: 0, max: 4 }),
	sequential: fc.boolean(),
	interruptAfterHours: fc.integer({ min: 1, max: 6 }),
	reminder: fc.constantFrom("R2/PT1H", "R/PT90M", "R1/PT2H"),
});

function workflowOf(spec: Spec) {
	const items = `[${Array.from({ length: spec.items }, (_, i) => i).join(", ")}]`;
	return build(
		[
			n("review", {
				start: true,
				task: "scope",
				multiInstance: { items, sequential: spec.sequential },
				nodes: [
					n("check", { start: true }),
					n("sign", { end: true }),
					n("late", {
						attachedTo: "check",
						task: "wait",
						params: { cycle: spec.reminder },
						interrupting: false,
					}),
					n("remind", { end: false, task: "dummy", inline: true }),
					n("reminded", { end: true, task: "dummy", inline: true }),
				],
				transitions: [t("check", "sign"), t("late", "remind"), t("remind", "reminded")],
			}),
			n("done", END),
			n("expired", {
				attachedTo: "review",
				task: "wait",
				params: { duration: `PT${spec.interruptAfterHours}H` },
			}),
			n("cancelled", END),
			n("broken", { attachedTo: "review", task: "error" }),
			n("repaired", END),
		],
		[t("review", "done"), t("expired", "cancelled"), t("broken", "repaired")],
	);
}

type Action =
	| { kind: "complete"; pick: number; result: number }
	| { kind: "fail"; pick: number }
	| { kind: "timer"; pick: number; twice: boolean }
	| { kind: "revoke"; pick: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
	fc.record({ kind: fc.constant("complete" as const), pick: fc.nat(20), result: fc.nat(9) }),
	fc.record({ kind: fc.constant("fail" as const), pick: fc.nat(20) }),
	fc.record({ kind: fc.constant("timer" as const), pick: fc.nat(20), twice: fc.boolean() }),
	fc.record({ kind: fc.constant("revoke" as const), pick: fc.nat(20) }),
);

function pick<T>(list: T[], i: number): T | undefined {
	return list.length === 0 ? undefined : list[i % list.length];
}

function jobs(state: ProcessState): TaskState[] {
	return state.tasks.filter((x) => isTaskActive(x) && x.node === "check");
}

function timers(state: ProcessState): TaskState[] {
	return state.tasks.filter((x) => x.status === "STARTED" && x.timerDueAt !== undefined);
}

/** Nothing is active on a task that ended: no listener on a host, no task in a scope, no instance. */
function checkNothingLivesOnEnded(state: ProcessState): void {
	const ended = new Set(state.tasks.filter((x) => !isTaskActive(x)).map((x) => x.id));
	for (const task of state.tasks) {
		if (!isTaskActive(task)) continue;
		for (const holder of [task.boundaryOf, task.scope, task.instanceOf]) {
			if (holder !== undefined)
				expect(ended.has(holder), `${task.id} lives on ${holder}`).toBe(false);
		}
	}
	if (isProcessFinished(state)) expect(state.tasks.filter(isTaskActive)).toEqual([]);
}

describe("time and event properties", () => {
	it("B1 B2 B3 M1 C1 hold under random schedules of completions, failures, timers and revokes", () => {
		fc.assert(
			fc.property(specArb, fc.array(actionArb, { maxLength: 40 }), (spec, actions) => {
				const run = new ProcessRun(workflowOf(spec)).start();
				const fired = new Map<string, number>();
				const bodyCompleted = new Map<string, number>();
				const scopeCompleted = new Map<string, number>();
				const revokedTimes = new Map<string, number>();
				const record = (before: ProcessState) => {
					for (const e of run.events) {
						const id = e.taskId ?? "";
						if (e.type === "BoundaryFired") {
							fired.set(id, (fired.get(id) ?? 0) + 1);
							const host = before.tasks.find((x) => x.id === e.data?.host);
							expect(host && isTaskActive(host), "a boundary fired on an ended host").toBe(true);
							if (e.data?.interrupting) {
								expect(run.state.tasks.find((x) => x.id === e.data?.host)?.status).toBe("REVOKED");
							}
						}
						if (e.type === "InstancesCompleted")
							bodyCompleted.set(id, (bodyCompleted.get(id) ?? 0) + 1);
						if (e.type === "ScopeCompleted")
							scopeCompleted.set(id, (scopeCompleted.get(id) ?? 0) + 1);
						if (e.type === "TaskRevoked") revokedTimes.set(id, (revokedTimes.get(id) ?? 0) + 1);
					}
				};
				for (const action of actions) {
					if (isProcessFinished(run.state)) break;
					const before = run.state;
					let command: Command | undefined;
					if (action.kind === "complete" || action.kind === "fail") {
						const task = pick(jobs(run.state), action.pick);
						if (!task) continue;
						if (task.status === "PENDING") {
							run.send({ type: "ClaimTask", taskId: task.id, attempt: task.attempt });
							record(before);
						}
						command =
							action.kind === "complete"
								? {
										type: "CompleteTask",
										taskId: task.id,
										attempt: task.attempt,
										result: action.result,
									}
								: {
										type: "FailTask",
										taskId: task.id,
										attempt: task.attempt,
										error: { message: "no", code: "BAD" },
										retryable: false,
									};
					} else if (action.kind === "timer") {
						const task = pick(timers(run.state), action.pick);
						if (!task) continue;
						run.now = Math.max(run.now, task.timerDueAt as number);
						command = { type: "FireTimer", taskId: task.id };
					} else {
						const task = pick(run.state.tasks.filter(isTaskActive), action.pick);
						if (!task) continue;
						command = { type: "RevokeTask", taskId: task.id, actor: admin };
					}
					const mid = run.state;
					run.send(command);
					record(mid);
					if (action.kind === "timer" && action.twice) {
						const again = run.state;
						run.send(command);
						record(again);
					}
					checkNothingLivesOnEnded(run.state);
				}
				for (const count of [
					...fired.values(),
					...bodyCompleted.values(),
					...scopeCompleted.values(),
					...revokedTimes.values(),
				]) {
					expect(count).toBe(1);
				}
				// A revoked task stays revoked: nothing ends twice.
				for (const id of revokedTimes.keys()) {
					expect(run.state.tasks.find((x) => x.id === id)?.status).toBe("REVOKED");
				}
				// M1: a body that succeeded holds its instances' results in item order.
				for (const body of run.state.tasks.filter((x) => x.multi && x.status === "SUCCESS")) {
					const instances = run.state.tasks.filter((x) => x.instanceOf === body.id);
					const expected = (body.multi?.items ?? []).map((_, i) => {
						const inst = instances.find((x) => x.instanceIndex === i && x.status === "SUCCESS");
						return inst ? inst.result : null;
					});
					expect(body.result).toEqual(expected);
				}
			}),
			{ numRuns: 300 },
		);
	}, 60_000);
});
