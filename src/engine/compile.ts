// Turns untrusted input into a CompiledWorkflow: the schema (structure), then the graph checks (D2),
// then the indexes the step function uses. Every problem is reported at once.

import type { CompiledNode, CompiledTransition, CompiledWorkflow } from "./compiled.ts";
import { compileCondition } from "./conditions.ts";
import { workflowDefinitionSchema } from "./definition-schema.ts";
import { EngineError } from "./errors.ts";
import { formOfFields } from "./fields.ts";
import { adjacency, upstreamOf } from "./graph.ts";
import {
	allTransitions,
	DEFAULT_PRIORITY,
	joinOf,
	type NodeDefinition,
	splitOf,
	type WorkflowDefinition,
} from "./model.ts";
import { formatPath, type Problem } from "./problems.ts";
import { startFormSchema } from "./start-form.ts";
import { DEFAULT_RETRY, type TaskCatalog, type TaskTypeSpec } from "./task-type-spec.ts";
import { validateDefinition } from "./validate.ts";

export type { CompiledNode, CompiledTransition, CompiledWorkflow } from "./compiled.ts";

export type CompileResult =
	| { ok: true; workflow: CompiledWorkflow; warnings: Problem[] }
	| { ok: false; problems: Problem[]; warnings: Problem[] };

/** D2: validates `input` (any JSON) and compiles it; all problems at once, each with its path. */
export function compileWorkflow(input: unknown, catalog: TaskCatalog): CompileResult {
	const parsed = workflowDefinitionSchema.safeParse(input);
	if (!parsed.success) {
		const problems = parsed.error.issues.map(
			(issue): Problem => ({
				code: "INVALID_STRUCTURE",
				path: formatPath(issue.path),
				message: issue.message,
				severity: "error",
			}),
		);
		return { ok: false, problems, warnings: [] };
	}
	const def = stripSchemaKey(parsed.data);
	const types = withExternalTasks(def, catalog);
	const found = validateDefinition(def, types);
	for (const name of Object.keys(def.externalTasks ?? {})) {
		if (catalog.get(name)) {
			found.error(
				"EXTERNAL_TASK_SHADOWS",
				`externalTasks.${name}`,
				`"${name}" is already a registered task type; give the external one another name`,
			);
		}
	}
	const errors = found.errors;
	if (errors.length > 0) return { ok: false, problems: errors, warnings: found.warnings };
	return { ok: true, workflow: buildIndexes(def, types), warnings: found.warnings };
}

/** Compiles or throws `invalid_definition` with the problems as details. */
export function mustCompile(input: unknown, catalog: TaskCatalog): CompiledWorkflow {
	const result = compileWorkflow(input, catalog);
	if (result.ok) return result.workflow;
	const first = result.problems[0];
	const where = first && first.path !== "" ? `${first.path}: ` : "";
	throw new EngineError(
		"invalid_definition",
		`invalid workflow definition (${result.problems.length} problem(s)); ${where}${first?.message ?? ""}`,
		result.problems,
	);
}

/**
 * K1: the catalog with the workflow's own external task types added: each offered to workers of
 * its name, its params a form of the declared fields, retried by its policy (T6).
 */
function withExternalTasks(def: WorkflowDefinition, catalog: TaskCatalog): TaskCatalog {
	const declared = Object.entries(def.externalTasks ?? {});
	if (declared.length === 0) return catalog;
	const own = new Map<string, TaskTypeSpec>();
	for (const [name, external] of declared) {
		const spec: TaskTypeSpec = {
			name,
			mode: "external",
			params: formOfFields(external.params ?? {}),
			retry: { ...DEFAULT_RETRY, ...(external.retry ?? {}) },
		};
		if (external.title !== undefined) spec.title = external.title;
		if (external.description !== undefined) spec.description = external.description;
		own.set(name, spec);
	}
	return {
		get: (name) => catalog.get(name) ?? own.get(name),
		list: () => [...catalog.list(), ...own.values()],
	};
}

function stripSchemaKey(def: WorkflowDefinition & { $schema?: string }): WorkflowDefinition {
	if (!("$schema" in def)) return def;
	const { $schema: _ignored, ...rest } = def;
	return rest;
}

function buildIndexes(def: WorkflowDefinition, catalog: TaskCatalog): CompiledWorkflow {
	const nodes = new Map<string, CompiledNode>();
	// C1: inner nodes of scopes are flattened into one map, each knowing its scope.
	const addNodes = (list: readonly NodeDefinition[], scope: string | undefined) => {
		for (const node of list) {
			const spec = catalog.get(node.task);
			if (!spec) throw new EngineError("invalid_definition", `unknown task type "${node.task}"`);
			const compiled: CompiledNode = {
				key: node.key,
				index: nodes.size,
				def: node,
				spec,
				join: joinOf(node),
				split: splitOf(node),
				incoming: [],
				outgoing: [],
				failureRoutes: [],
				innerStarts: (node.nodes ?? []).filter((n) => n.start).map((n) => n.key),
				boundaries: [],
				interrupting: node.attachedTo !== undefined && node.interrupting !== false,
			};
			if (scope !== undefined) compiled.scope = scope;
			if (node.attachedTo !== undefined) compiled.attachedTo = node.attachedTo;
			nodes.set(node.key, compiled);
			if (node.nodes) addNodes(node.nodes, node.key);
		}
	};
	addNodes(def.nodes, undefined);
	for (const node of nodes.values()) {
		if (node.attachedTo !== undefined) nodes.get(node.attachedTo)?.boundaries.push(node.key);
	}
	const flatTransitions = allTransitions(def);
	const reverse = adjacency([...nodes.keys()], flatTransitions, true);
	const transitions = flatTransitions.map((t, index): CompiledTransition => {
		const condition = compileCondition(t.condition);
		if (!condition.ok) throw new EngineError("invalid_definition", condition.message);
		const on = t.on ?? "success";
		const from = nodes.get(t.from) as CompiledNode;
		const to = nodes.get(t.to) as CompiledNode;
		to.incoming.push(index);
		(on === "failure" ? from.failureRoutes : from.outgoing).push(index);
		const compiled: CompiledTransition = {
			index,
			from: t.from,
			to: t.to,
			def: t,
			on,
			condition: condition.condition,
		};
		if (to.join === "or") compiled.upstream = upstreamOf(reverse, t.from, t.to);
		return compiled;
	});
	return {
		definition: def,
		key: def.key,
		version: def.version ?? 1,
		priority: def.priority ?? DEFAULT_PRIORITY,
		nodes,
		nodeOrder: [...nodes.keys()],
		transitions,
		startNodes: def.nodes.filter((n) => n.start).map((n) => n.key),
		hasHosts: [...nodes.values()].some(
			(n) => n.attachedTo !== undefined || n.spec.mode === "scope" || n.def.multiInstance,
		),
		startForm: startFormSchema(def),
	};
}
