// The compiled form of a workflow: the definition plus the indexes the step function needs
// (incoming/outgoing transitions per node, OR-join reachability, parsed conditions, task specs).
import type { z } from "zod";
import type { CompiledCondition } from "./conditions.ts";
import type {
	JoinKind,
	NodeDefinition,
	SplitKind,
	TransitionDefinition,
	WorkflowDefinition,
} from "./model.ts";
import type { TaskTypeSpec } from "./task-type-spec.ts";

export interface CompiledNode {
	key: string;
	index: number;
	def: NodeDefinition;
	spec: TaskTypeSpec;
	join: JoinKind;
	split: SplitKind;
	/** Transition indexes into this node, in definition order. */
	incoming: number[];
	/** Success routes out of this node (R2), in definition order. */
	outgoing: number[];
	/** Failure routes out of this node (R3), in definition order. */
	failureRoutes: number[];
}

export interface CompiledTransition {
	index: number;
	from: string;
	to: string;
	def: TransitionDefinition;
	on: "success" | "failure";
	condition: CompiledCondition;
	/**
	 * J4, for transitions into an OR join: the nodes from which this transition can still receive
	 * an arrival without passing through the join (the parent included).
	 */
	upstream?: ReadonlySet<string>;
}

/** Cheap to rebuild from the definition (the adapter recompiles after eviction). */
export interface CompiledWorkflow {
	definition: WorkflowDefinition;
	key: string;
	version: number;
	priority: number;
	nodes: ReadonlyMap<string, CompiledNode>;
	/** Node keys in definition order. */
	nodeOrder: readonly string[];
	transitions: readonly CompiledTransition[];
	/** Start node keys in definition order (S2). */
	startNodes: readonly string[];
	/** T10: the start form the params of a new process are checked against. */
	startForm: z.ZodObject;
}
