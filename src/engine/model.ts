// The workflow definition: the one JSON format shared by files, the admin pages and TypeScript
// (`defineWorkflow`). Structure only; what makes a definition runnable is decided in compile.ts.
import type { FieldSpec } from "./fields.ts";

/** How a node waits for its incoming transitions. AND by default (D1). */
export type JoinKind = "and" | "xor" | "or";
/**
 * How a node chooses among its outgoing transitions. AND by default (D1). `event` (E1, the
 * event-based gateway): every route is taken, and the first of the waits it leads to that happens
 * wins; the others are revoked.
 */
export type SplitKind = "and" | "xor" | "event";

/** A transition condition (R1): empty = always, a literal = equals the result, `=…` = FEEL. */
export type Condition = string | number | boolean;

export interface RoleDefinition {
	key: string;
	name?: string;
}

/** One step: WHO (role) does WHAT (task type) with which params. */
export interface NodeDefinition {
	key: string;
	name?: string;
	description?: string;
	role?: string;
	/** Task type name, looked up in the task catalog. */
	task: string;
	params?: Record<string, unknown>;
	start?: boolean;
	end?: boolean;
	join?: JoinKind;
	split?: SplitKind;
	/** 0–9, 0 highest; inherits the process priority when absent. */
	priority?: number;
	/**
	 * T9: run this node's task inside the step that activates it, with no queue message. Only for
	 * task types that run inline (pure and synchronous: dummy, add, question).
	 */
	inline?: boolean;
	/**
	 * T11: params a person of the node's role may change on the task's form although the workflow,
	 * the node or the starter already set them. Without it a person fills in only what is unset.
	 */
	editable?: string[];
	/**
	 * B1: a boundary event. This node listens while a task of the node `attachedTo` is active; its
	 * task type says what it listens for (`wait`: a timer, `message`, `error`).
	 */
	attachedTo?: string;
	/** B2: an interrupting boundary (the default) revokes its host when it fires. */
	interrupting?: boolean;
	/** H1: when a task of this node is due: a duration from its creation ("P2D") or FEEL ("= …"). */
	due?: string;
	/** H1: when to look at a task of this node again, like `due`. */
	followUp?: string;
	/** M1: run the node once per item of a collection. */
	multiInstance?: MultiInstanceDefinition;
	/** C1: the inner graph of a `scope` node (an embedded subprocess). Keys are unique workflow-wide. */
	nodes?: NodeDefinition[];
	/** C1: the transitions of a `scope` node's inner graph, between its inner nodes only. */
	transitions?: TransitionDefinition[];
}

/** M1: how a multi-instance node runs. */
export interface MultiInstanceDefinition {
	/** FEEL (with or without a leading `=`) over `params` and `process`, giving a list. */
	items: string;
	/** The param that holds each instance's item (default "item"); its index is `loopIndex`. */
	as?: string;
	/** One after another instead of all at once. */
	sequential?: boolean;
	/**
	 * FEEL evaluated after each instance ends, over `completed`, `total`, `results`, `params` and
	 * `process`: true ends the node at once and revokes the instances still running.
	 */
	completion?: string;
}

/**
 * K1: a task type served by workers outside the Worker, declared by the workflow (a registered
 * `defineTask({ mode: "external" })` is the other way). Its params are checked like any type's.
 */
export interface ExternalTaskDefinition {
	title?: string;
	description?: string;
	/** The params, typed like start form fields; a task waits for a person while one is missing. */
	params?: Record<string, FieldSpec>;
	/** T6: attempts after the first (default 3) and backoff, for failures the worker reports. */
	retry?: { limit?: number; backoffSeconds?: number; factor?: number; maxBackoffSeconds?: number };
}

/** Q1: a scheduled start of a workflow version. Exactly one of `cron` and `at`. */
export interface ScheduleDefinition {
	/** Five-field cron ("0 9 * * 1-5"), read in `timezone`. */
	cron?: string;
	/** An IANA time zone for `cron` (default "UTC"). */
	timezone?: string;
	/** One start at this ISO date-time. */
	at?: string;
	/** Params of each started process, checked against the start form (T10). */
	params?: Record<string, unknown>;
	/** Shown in the pages and the history; defaults to the cron or the date. */
	name?: string;
}

/** parent → child. `on: "failure"` makes it a failure route (R3). */
export interface TransitionDefinition {
	from: string;
	to: string;
	condition?: Condition;
	on?: "success" | "failure";
}

/** T10: a field of a workflow's start form, typed like an `ask` question, with an optional default. */
export interface StartField extends FieldSpec {
	default?: unknown;
}

export interface WorkflowDefinition {
	key: string;
	name: string;
	description?: string;
	version?: number;
	params?: Record<string, unknown>;
	/**
	 * T10: the params a starter (page, API, webhook, parent process) may give, by name. A start
	 * with any other key is refused; a workflow without a start form takes no params at start.
	 */
	startForm?: Record<string, StartField>;
	/** 0–9, 0 highest. */
	priority?: number;
	/** Maximum number of task creations per process (P7). */
	stepBudget?: number;
	roles?: RoleDefinition[];
	/** K1: task types this workflow's nodes may use that workers outside the Worker serve. */
	externalTasks?: Record<string, ExternalTaskDefinition>;
	/** Q1: when processes of this version start by themselves (a Cron Trigger runs them). */
	schedules?: ScheduleDefinition[];
	nodes: NodeDefinition[];
	transitions: TransitionDefinition[];
	/**
	 * The author's drawing, kept from a BPMN file's diagram so that Baton draws the workflow (and
	 * exports it) as it was drawn. Without it, or when it misses a node, the diagram is laid out.
	 */
	layout?: WorkflowLayout;
}

/** A node's box in the author's drawing: its top-left corner and size, in the file's units. */
export interface LayoutBounds {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface LayoutPoint {
	x: number;
	y: number;
}

/** The author's drawing of a workflow: nothing in it changes what a process does. */
export interface WorkflowLayout {
	/** By node key, inner nodes of scopes included (one plane: all in the same coordinates). */
	nodes: Record<string, LayoutBounds>;
	/**
	 * The waypoints of transitions, by index in the order of allTransitions (the top level's
	 * first, then each scope's): where the arrow leaves its source, bends, and reaches its target.
	 */
	transitions?: Record<string, LayoutPoint[]>;
}

/** Default priority of a workflow that sets none (the original's default: the lowest). */
export const DEFAULT_PRIORITY = 9;
/** Default step budget of a process (P7). */
export const DEFAULT_STEP_BUDGET = 10_000;

/** Identity with types: a workflow authored in TypeScript, validated like a JSON file. */
export function defineWorkflow<const T extends WorkflowDefinition>(def: T): T {
	return def;
}

/** The join of a node, AND when omitted (D1). */
export function joinOf(node: NodeDefinition): JoinKind {
	return node.join ?? "and";
}

/** The split of a node, AND when omitted (D1). */
export function splitOf(node: NodeDefinition): SplitKind {
	return node.split ?? "and";
}

/** C1: every node of a definition, inner nodes of scopes included, each after its scope. */
export function allNodes(def: { nodes: readonly NodeDefinition[] }): NodeDefinition[] {
	const out: NodeDefinition[] = [];
	const visit = (nodes: readonly NodeDefinition[]) => {
		for (const node of nodes) {
			out.push(node);
			if (node.nodes) visit(node.nodes);
		}
	};
	visit(def.nodes);
	return out;
}

/** C1: every transition of a definition, those of scopes' inner graphs after the top level's. */
export function allTransitions(def: WorkflowDefinition): TransitionDefinition[] {
	const out = [...def.transitions];
	for (const node of allNodes(def)) if (node.transitions) out.push(...node.transitions);
	return out;
}

/** The node with this key at any depth, or undefined. */
export function findNodeDefinition(
	def: { nodes: readonly NodeDefinition[] },
	key: string,
): NodeDefinition | undefined {
	return allNodes(def).find((n) => n.key === key);
}
