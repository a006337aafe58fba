// A small builder for inline definitions, so that a test shows its whole flow.
import {
	type CompiledWorkflow,
	compileWorkflow,
	type NodeDefinition,
	type TransitionDefinition,
	type WorkflowDefinition,
} from "../../../src/engine/index.ts";
import { testCatalog } from "./catalog.ts";

/** A node running `job` unless said otherwise. */
export function n(key: string, extra: Partial<NodeDefinition> = {}): NodeDefinition {
	return { key, task: "job", ...extra };
}

export function t(
	from: string,
	to: string,
	extra: Partial<TransitionDefinition> = {},
): TransitionDefinition {
	return { from, to, ...extra };
}

export function definition(
	nodes: NodeDefinition[],
	transitions: TransitionDefinition[],
	extra: Partial<WorkflowDefinition> = {},
): WorkflowDefinition {
	return { key: "test", name: "Test", nodes, transitions, ...extra };
}

/** Compiles or fails the test with every problem listed. */
export function build(
	nodes: NodeDefinition[],
	transitions: TransitionDefinition[],
	extra: Partial<WorkflowDefinition> = {},
): CompiledWorkflow {
	const result = compileWorkflow(definition(nodes, transitions, extra), testCatalog);
	if (!result.ok) {
		throw new Error(result.problems.map((p) => `${p.path}: ${p.code} ${p.message}`).join("\n"));
	}
	return result.workflow;
}
