// The workflow definition: the one JSON format shared by files, the admin pages and TypeScript
// (`defineWorkflow`). Structure only; what makes a definition runnable is decided in compile.ts.
import type { FieldSpec } from "./fields.ts";

/** How a node waits for its incoming transitions. AND by default (D1). */
export type JoinKind = "and" | "xor" | "or";
/** How a node chooses among its outgoing transitions. AND by default (D1). */
export type SplitKind = "and" | "xor";

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
	nodes: NodeDefinition[];
	transitions: TransitionDefinition[];
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
