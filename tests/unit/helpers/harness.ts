// Drives one process through `step` by hand, checking after every step that the state survives a
// JSON round trip and that arrivals are conserved.
import { expect } from "vitest";
import {
	type Actor,
	type Command,
	type CompiledWorkflow,
	type CreateProcessInit,
	createProcess,
	type Effect,
	type HistoryEvent,
	type ProcessState,
	type StepOutcome,
	step,
	type TaskState,
} from "../../../src/engine/index.ts";
import { ArrivalLedger, checkOrJoinFirings } from "./invariants.ts";

export const admin: Actor = { id: "admin", roles: [], isAdmin: true };

export class ProcessRun {
	readonly workflow: CompiledWorkflow;
	state: ProcessState;
	now = 1_000;
	/** Effects and events of the last successful step. */
	effects: Effect[] = [];
	events: HistoryEvent[] = [];
	reply: unknown;
	readonly ledger = new ArrivalLedger();
	/**
	 * T3: answer every PickAssignee at once with AssignTask (nobody), as the adapter does for an
	 * empty role; the answer's effects and events are added to the step's.
	 */
	readonly autoAssign: boolean;

	constructor(
		workflow: CompiledWorkflow,
		init: Partial<CreateProcessInit> = {},
		options: { autoAssign?: boolean } = {},
	) {
		this.workflow = workflow;
		this.state = createProcess(workflow, { id: "p", ...init }, { now: this.now });
		this.autoAssign = options.autoAssign ?? false;
	}

	/** Runs a command; returns the outcome without asserting it succeeded. */
	try(command: Command): StepOutcome {
		this.now += 1;
		const before = JSON.stringify(this.state);
		const outcome = step(this.workflow, this.state, command, { now: this.now });
		expect(JSON.stringify(this.state)).toBe(before);
		if (outcome.ok) {
			expect(JSON.parse(JSON.stringify(outcome.state))).toEqual(outcome.state);
			this.state = outcome.state;
			this.effects = outcome.effects;
			this.events = outcome.events;
			this.reply = outcome.reply;
			this.ledger.check(this.workflow, this.state, outcome.events);
			const created = outcome.events
				.filter((e) => e.type === "TaskCreated")
				.map((e) => e.taskId ?? "");
			checkOrJoinFirings(this.workflow, this.state, new Set(created));
			if (this.autoAssign) this.answerPicks(outcome.effects);
		}
		return outcome;
	}

	private answerPicks(effects: Effect[]): void {
		const [effects0, events0] = [[...this.effects], [...this.events]];
		for (const effect of [...effects]) {
			if (effect.type !== "PickAssignee") continue;
			const answer = this.send({ type: "AssignTask", taskId: effect.taskId, assignee: null });
			effects0.push(...answer.effects);
			events0.push(...answer.events);
		}
		this.effects = effects0;
		this.events = events0;
	}

	/** Runs a command that must succeed. */
	send(command: Command): this {
		const outcome = this.try(command);
		if (!outcome.ok)
			throw new Error(`${command.type} refused: ${outcome.error.code} ${outcome.error.message}`);
		return this;
	}

	start(): this {
		return this.send({ type: "StartProcess" });
	}

	/** The tasks of a node, in creation order. */
	tasks(node: string): TaskState[] {
		return this.state.tasks.filter((t) => t.node === node);
	}

	/** The latest task of a node. */
	task(node: string): TaskState {
		const all = this.tasks(node);
		const last = all[all.length - 1];
		if (!last) throw new Error(`no task for node ${node}`);
		return last;
	}

	/** Claims the current attempt of the node's latest task and completes it. */
	complete(node: string, result: unknown = null): this {
		const task = this.task(node);
		this.send({ type: "ClaimTask", taskId: task.id, attempt: task.attempt });
		return this.send({ type: "CompleteTask", taskId: task.id, attempt: task.attempt, result });
	}

	/** Claims the current attempt and fails it. */
	fail(node: string, message = "boom", retryable = true): this {
		const task = this.task(node);
		this.send({ type: "ClaimTask", taskId: task.id, attempt: task.attempt });
		return this.send({
			type: "FailTask",
			taskId: task.id,
			attempt: task.attempt,
			error: { message },
			retryable,
		});
	}

	submit(node: string, values: Record<string, unknown>, actor: Actor = admin): this {
		return this.send({ type: "SubmitValues", taskId: this.task(node).id, values, actor });
	}

	/** "node:STATUS" per task in creation order. */
	statuses(): string[] {
		return this.state.tasks.map((t) => `${t.node}:${t.status}`);
	}

	effectTypes(): string[] {
		return this.effects.map((e) => e.type);
	}
}
