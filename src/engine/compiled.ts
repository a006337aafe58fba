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
	/** C1: the key of the scope node whose inner graph holds this node (absent at the top level). */
	scope?: string;
	/** C1: for a scope node, its inner start nodes in definition order. */
	innerStarts: string[];
	/** B1: the boundary nodes attached to this node, in definition order. */
	boundaries: string[];
	/** B1: for a boundary node, the node it is attached to. */
	attachedTo?: string;
	/** B2: for a boundary node, whether firing revokes the host. */
	interrupting: boolean;
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
	/** Top-level start node keys in definition order (S2). */
	startNodes: readonly string[];
	/** Whether any node is a boundary, a scope or multi-instance: the step skips their checks when not. */
	hasHosts: boolean;
	/** T10: the start form the params of a new process are checked against. */
	startForm: z.ZodObject;
}
