// Property-based tests: random graphs with loops and every join/split kind, driven by random
// schedules of completions, failures, revocations, duplicates and lease expiries. The harness
// checks after every step: JSON round trip, the input state untouched, arrivals conserved, joins
// firing on complete and fresh arrival sets, OR joins never firing while a branch can still come.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	type Command,
	type CompiledWorkflow,
	compileWorkflow,
	isProcessFinished,
	isTaskActive,
	type NodeDefinition,
	type StepOutcome,
	type TransitionDefinition,
} from "../../../src/engine/index.ts";
import { testCatalog } from "../helpers/catalog.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

interface GraphSpec {
	size: number;
	joins: ("and" | "xor" | "or")[];
	splits: ("and" | "xor")[];
	twoStarts: boolean;
	extra: { from: number; to: number; condition: string | undefined; failure: boolean }[];
}

const graphArb: fc.Arbitrary<GraphSpec> = fc.integer({ min: 2, max: 7 }).chain((size) =>
	fc.record({
		size: fc.constant(size),
		joins: fc.array(fc.constantFrom("and" as const, "xor" as const, "or" as const), {
			minLength: size,
			maxLength: size,
		}),
		splits: fc.array(fc.constantFrom("and" as const, "and" as const, "xor" as const), {
			minLength: size,
			maxLength: size,
		}),
		twoStarts: fc.boolean(),
		extra: fc.array(
			fc.record({
				from: fc.nat(Math.max(0, size - 2)),
				to: fc.nat(size - 1),
				condition: fc.constantFrom(undefined, undefined, "x", "y"),
				failure: fc.nat(4).map((n) => n === 0),
			}),
			{ maxLength: size * 2 },
		),
	}),
);

/** Parallel branches into one join, in a loop: s → b0…bk → j → w → (s on "x") | end. */
interface DiamondSpec {
	branches: number;
	join: "and" | "xor" | "or";
	split: "and" | "xor";
}

const diamondArb: fc.Arbitrary<DiamondSpec> = fc.record({
	branches: fc.integer({ min: 2, max: 4 }),
	join: fc.constantFrom("and" as const, "xor" as const, "or" as const),
	split: fc.constantFrom("and" as const, "and" as const, "xor" as const),
});

function buildDiamond(d: DiamondSpec): CompiledWorkflow {
	const branches = Array.from({ length: d.branches }, (_, i) => `b${i}`);
	const nodes: NodeDefinition[] = [
		{ key: "s", task: "job", start: true, join: "xor", split: d.split },
		...branches.map((key) => ({ key, task: "job" })),
		{ key: "j", task: "job", join: d.join },
		{ key: "w", task: "job", split: "xor" },
		{ key: "end", task: "job", end: true },
	];
	const transitions: TransitionDefinition[] = [
		...branches.map((b) => ({ from: "s", to: b })),
		...branches.map((b) => ({ from: b, to: "j" })),
		{ from: "j", to: "w" },
		{ from: "w", to: "s", condition: "x" },
		{ from: "w", to: "end" },
	];
	const result = compileWorkflow(
		{ key: "diamond", name: "Diamond", nodes, transitions, stepBudget: 40 },
		testCatalog,
	);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.workflow;
}

const workflowArb: fc.Arbitrary<CompiledWorkflow> = fc.oneof(
	graphArb.map(buildGraph),
	diamondArb.map(buildDiamond),
);

function buildGraph(g: GraphSpec): CompiledWorkflow {
	const key = (i: number) => `n${i}`;
	const nodes: NodeDefinition[] = Array.from({ length: g.size }, (_, i) => ({
		key: key(i),
		task: "job",
		join: g.joins[i],
		split: g.splits[i],
		start: i === 0 || (g.twoStarts && i === 1),
		end: i === g.size - 1,
	}));
	const transitions: TransitionDefinition[] = [];
	const pairs = new Set<string>();
	const add = (from: number, to: number, extra: Partial<TransitionDefinition> = {}) => {
		const pair = `${from}>${to}`;
		if (pairs.has(pair)) return;
		pairs.add(pair);
		transitions.push({ from: key(from), to: key(to), ...extra });
	};
	for (let i = 0; i + 1 < g.size; i++) add(i, i + 1);
	for (const e of g.extra) {
		const extra: Partial<TransitionDefinition> = {};
		if (e.condition !== undefined) extra.condition = e.condition;
		if (e.failure) extra.on = "failure";
		add(e.from, e.to, extra);
	}
	// an AND join fed by a back edge could never fire (P5): loops come back through XOR or OR joins
	for (const e of g.extra) {
		const target = nodes[e.to] as NodeDefinition;
		if (e.to <= e.from && target.join === "and") target.join = e.to % 2 === 0 ? "xor" : "or";
	}
	const result = compileWorkflow(
		{ key: "random", name: "Random", nodes, transitions, stepBudget: 25 },
		testCatalog,
	);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.workflow;
}

type Action = { kind: number; pick: number; result: string | null; retryable: boolean };

const actionArb: fc.Arbitrary<Action> = fc.record({
	kind: fc.nat(99),
	pick: fc.nat(1000),
	result: fc.constantFrom(null, "x", "y"),
	retryable: fc.boolean(),
});

/** Plays one action as the adapter, queue and admins would; returns the outcomes of its commands. */
function play(
	run: ProcessRun,
	a: Action,
	outbox: { taskId: string; attempt: number }[],
	sent: Command[],
): StepOutcome[] {
	const outcomes: StepOutcome[] = [];
	const send = (command: Command) => {
		sent.push(command);
		const outcome = run.try(command);
		outcomes.push(outcome);
		if (!outcome.ok) return;
		for (const e of outcome.effects)
			if (e.type === "DispatchTask") outbox.push({ taskId: e.taskId, attempt: e.attempt });
	};
	const active = run.state.tasks.filter(isTaskActive);
	if (a.kind < 70 && outbox.length > 0) {
		const message = outbox.splice(a.pick % outbox.length, 1)[0] as {
			taskId: string;
			attempt: number;
		};
		send({ type: "ClaimTask", ...message });
		const claimed = outcomes[outcomes.length - 1];
		const reply = (claimed?.ok ? claimed.reply : undefined) as { run: boolean } | undefined;
		if (!reply?.run) return outcomes;
		if (a.kind < 56) send({ type: "CompleteTask", ...message, result: a.result });
		else if (a.kind < 66)
			send({ type: "FailTask", ...message, error: { message: "boom" }, retryable: a.retryable });
		else outbox.push(message); // crashed worker: the message comes back
	} else if (a.kind < 80 && sent.length > 0) {
		send(sent[a.pick % sent.length] as Command); // a duplicate delivery
	} else if (a.kind < 85 && active.length > 0) {
		send({
			type: "RevokeTask",
			taskId: (active[a.pick % active.length] as { id: string }).id,
			actor: admin,
		});
	} else if (a.kind < 90) {
		run.now += 301_000;
		send({ type: "ExpireLeases" });
	} else if (a.kind < 93) {
		send({ type: "RaiseStepBudget", stepBudget: run.state.stepBudget + 10 });
	} else if (a.kind < 95) {
		send({ type: "StopProcess", actor: admin });
	} else {
		send({
			type: "RecordIncident",
			kind: "dead_letter",
			message: "lost",
			...(active[0] ? { taskId: active[0].id } : {}),
		});
		if (active[0]) send({ type: "RetryTask", taskId: active[0].id });
	}
	return outcomes;
}

// Hundreds of random schedules each: a few seconds on a busy machine. The bound catches a hang;
// it is not a speed check.
describe("engine properties", { timeout: 60_000 }, () => {
	it("G1 G2 G4 J2 J4 conserve arrivals and fire joins only on fresh, complete sets, under any schedule", () => {
		fc.assert(
			fc.property(
				workflowArb,
				fc.array(actionArb, { minLength: 20, maxLength: 150 }),
				(wf, actions) => {
					const run = new ProcessRun(wf).start();
					const outbox: { taskId: string; attempt: number }[] = [];
					for (const e of run.effects)
						if (e.type === "DispatchTask") outbox.push({ taskId: e.taskId, attempt: e.attempt });
					const sent: Command[] = [];
					for (const action of actions) play(run, action, outbox, sent);
					expect(run.state.stepsUsed).toBeLessThanOrEqual(run.state.stepBudget);
					expect(run.state.tasks).toHaveLength(run.state.seq);
				},
			),
			{ numRuns: 600, seed: 20261126 },
		);
	});

	it("P4 a finished process never changes: any command after the end yields no effect and no task", () => {
		fc.assert(
			fc.property(workflowArb, fc.array(actionArb, { maxLength: 40 }), (wf, actions) => {
				const run = new ProcessRun(wf).start();
				const outbox: { taskId: string; attempt: number }[] = [];
				for (const e of run.effects)
					if (e.type === "DispatchTask") outbox.push({ taskId: e.taskId, attempt: e.attempt });
				const sent: Command[] = [];
				for (let i = 0; i < 200 && !isProcessFinished(run.state); i++) {
					play(
						run,
						{ kind: i % 7 === 6 ? 94 : 10, pick: i, result: null, retryable: false },
						outbox,
						sent,
					);
				}
				if (!isProcessFinished(run.state)) run.send({ type: "StopProcess" });
				const frozen = JSON.stringify(run.state);
				for (const action of actions) {
					for (const outcome of play(run, action, outbox, sent)) {
						if (outcome.ok) expect(outcome.effects).toEqual([]);
					}
					expect(JSON.stringify(run.state)).toBe(frozen);
				}
				for (const command of sent.slice(-20)) {
					const outcome = run.try(command);
					if (outcome.ok) expect(outcome.effects).toEqual([]);
					expect(JSON.stringify(run.state)).toBe(frozen);
				}
			}),
			{ numRuns: 150, seed: 7 },
		);
	});
});
