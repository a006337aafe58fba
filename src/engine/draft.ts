// The working copy of one step: a copy-on-write view of the state plus the effects and history
// events being produced. Handlers mutate the draft; `step` returns it or drops it on an error.
import type { CompiledNode, CompiledWorkflow } from "./compiled.ts";
import type { Effect } from "./effects.ts";
import { EngineError } from "./errors.ts";
import type { HistoryEvent, HistoryEventType } from "./events.ts";
import type { Incident, ProcessState, StepContext, TaskState } from "./state.ts";

/** Work the step finishes after its command: a T9 job to run, or an outcome to apply. */
export type InlineRun =
	| { taskId: string; kind: "run" }
	| { taskId: string; kind: "succeed"; result: unknown }
	| { taskId: string; kind: "fail"; error: { message: string; code?: string } };

export class Draft {
	readonly workflow: CompiledWorkflow;
	readonly state: ProcessState;
	readonly now: number;
	readonly effects: Effect[] = [];
	readonly events: HistoryEvent[] = [];
	reply: unknown;
	/**
	 * T9: inline tasks activated in this step, and outcomes decided while a task was activated (a
	 * `send` published, an error end thrown, a message start taken), applied in order after the
	 * command (inline.ts) so that routing deposits every arrival before any child runs.
	 */
	readonly inlineRuns: InlineRun[] = [];
	/** Tasks already copied in this step (safe to mutate). */
	private readonly edited = new Set<TaskState>();

	/**
	 * The input state is never mutated: top-level arrays are copied here, and a task is copied the
	 * first time it is edited (`editable`). Nested values are replaced, never changed in place.
	 */
	constructor(workflow: CompiledWorkflow, state: ProcessState, ctx: StepContext) {
		this.workflow = workflow;
		this.state = {
			...state,
			tasks: state.tasks.slice(),
			arrivals: state.arrivals.slice(),
			pendingStarts: state.pendingStarts.slice(),
			incidents: state.incidents.map((i) => ({ ...i })),
			results: state.results.slice(),
		};
		this.now = ctx.now;
	}

	/** The task as a copy owned by this step, replacing the shared one in the state. */
	editable(task: TaskState): TaskState {
		if (this.edited.has(task)) return task;
		const n = Number(task.id.slice(this.state.id.length + 2));
		let index = n - 1;
		if (this.state.tasks[index] !== task) index = this.state.tasks.indexOf(task);
		if (index < 0) return task;
		const copy = { ...task };
		this.state.tasks[index] = copy;
		this.edited.add(copy);
		return copy;
	}

	/** Registers a task created in this step (it is already owned). */
	adopt(task: TaskState): void {
		this.edited.add(task);
	}

	emit(effect: Effect): void {
		this.effects.push(effect);
	}

	log(
		type: HistoryEventType,
		task?: TaskState,
		data?: Record<string, unknown>,
		actor?: string,
	): void {
		const event: HistoryEvent = { type, at: this.now };
		if (task) {
			event.taskId = task.id;
			event.node = task.node;
		}
		if (actor !== undefined) event.actor = actor;
		if (data !== undefined) event.data = data;
		this.events.push(event);
	}

	/** The task with this id, or `not_found`. */
	task(taskId: string): TaskState {
		const n = Number(taskId.slice(this.state.id.length + 2));
		const byIndex = Number.isInteger(n) ? this.state.tasks[n - 1] : undefined;
		const task = byIndex?.id === taskId ? byIndex : this.state.tasks.find((t) => t.id === taskId);
		if (!task) throw new EngineError("not_found", `no task ${taskId} in process ${this.state.id}`);
		return this.editable(task);
	}

	node(key: string): CompiledNode {
		const node = this.workflow.nodes.get(key);
		if (!node) throw new EngineError("not_found", `no node "${key}" in ${this.workflow.key}`);
		return node;
	}

	/** Opens an incident (G8): recorded on the process and announced to the adapter. */
	raiseIncident(kind: string, message: string, task?: TaskState): Incident {
		this.state.incidentSeq += 1;
		const incident: Incident = {
			id: `${this.state.id}/i${this.state.incidentSeq}`,
			kind,
			message,
			at: this.now,
		};
		if (task) {
			incident.taskId = task.id;
			this.editable(task).incident = incident.id;
		}
		this.state.incidents.push(incident);
		this.emit({ type: "RaiseIncident", incident: { ...incident } });
		this.log("IncidentRaised", task, { incident: incident.id, kind, message });
		return incident;
	}

	/** Closes the open incident of a task, if any. */
	resolveIncidentOf(task: TaskState): void {
		if (task.incident === undefined) return;
		const incident = this.state.incidents.find((i) => i.id === task.incident);
		if (incident && incident.resolvedAt === undefined) {
			incident.resolvedAt = this.now;
			this.log("IncidentResolved", task, { incident: incident.id });
		}
		delete task.incident;
	}
}
