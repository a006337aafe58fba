// D1–D2: the graph checks of a structurally valid definition, every problem at once with its path.
// Structure (types, bounds, unknown keys) is the schema's job (definition-schema.ts).
import type { z } from "zod";
import { compileCondition } from "./conditions.ts";
import { adjacency, reachable } from "./graph.ts";
import type { TransitionDefinition, WorkflowDefinition } from "./model.ts";
import { formatPath, ProblemList } from "./problems.ts";
import type { TaskCatalog, TaskTypeSpec } from "./task-type-spec.ts";
import { checkAuthority } from "./validate-authority.ts";

/** D2: checks nodes, transitions, task types, reachability, conditions, params and roles. */
export function validateDefinition(def: WorkflowDefinition, catalog: TaskCatalog): ProblemList {
	const problems = new ProblemList();
	const keys = new Map<string, number>();
	def.nodes.forEach((node, i) => {
		if (keys.has(node.key)) {
			problems.error(
				"DUPLICATE_NODE_KEY",
				`nodes[${i}].key`,
				`node key "${node.key}" is used twice`,
			);
		} else keys.set(node.key, i);
	});
	if (!def.nodes.some((n) => n.start)) {
		problems.error("NO_START_NODE", "nodes", "no node is marked start: true");
	}
	checkRoles(def, problems);
	checkTransitions(def, keys, problems);
	def.nodes.forEach((node, i) => {
		const spec = catalog.get(node.task);
		if (!spec) {
			problems.error("UNKNOWN_TASK_TYPE", `nodes[${i}].task`, `unknown task type "${node.task}"`);
			return;
		}
		checkNodeParams(spec, { ...(def.params ?? {}), ...(node.params ?? {}) }, i, problems);
		if (node.inline && !spec.runInline) {
			problems.error(
				"NOT_INLINE_TASK_TYPE",
				`nodes[${i}].inline`,
				`task type "${node.task}" cannot run inline: only pure, synchronous task types can (dummy, add, question)`,
			);
		}
	});
	checkReachability(def, keys, problems);
	checkSplits(def, catalog, problems);
	checkAuthority(def, catalog, problems);
	return problems;
}

function checkRoles(def: WorkflowDefinition, problems: ProblemList): void {
	if (!def.roles) return;
	const declared = new Set<string>();
	def.roles.forEach((role, i) => {
		if (declared.has(role.key)) {
			problems.error(
				"DUPLICATE_ROLE_KEY",
				`roles[${i}].key`,
				`role "${role.key}" is declared twice`,
			);
		}
		declared.add(role.key);
	});
	def.nodes.forEach((node, i) => {
		if (node.role !== undefined && !declared.has(node.role)) {
			problems.error("UNDECLARED_ROLE", `nodes[${i}].role`, `role "${node.role}" is not in roles`);
		}
	});
}

function checkTransitions(
	def: WorkflowDefinition,
	keys: ReadonlyMap<string, number>,
	problems: ProblemList,
): void {
	const pairs = new Set<string>();
	def.transitions.forEach((t, i) => {
		for (const end of ["from", "to"] as const) {
			if (!keys.has(t[end])) {
				problems.error(
					"UNKNOWN_NODE",
					`transitions[${i}].${end}`,
					`no node has the key "${t[end]}"`,
				);
			}
		}
		const pair = `${t.from}\u0000${t.to}`;
		if (pairs.has(pair)) {
			problems.error(
				"DUPLICATE_TRANSITION",
				`transitions[${i}]`,
				`a second transition from "${t.from}" to "${t.to}" (at most one per ordered pair)`,
			);
		}
		pairs.add(pair);
		const compiled = compileCondition(t.condition);
		if (!compiled.ok)
			problems.error("CONDITION_SYNTAX", `transitions[${i}].condition`, compiled.message);
	});
}

/** D2: node params must have the right *types*; missing values are fine (a person may supply them). */
function checkNodeParams(
	spec: TaskTypeSpec,
	params: Record<string, unknown>,
	index: number,
	problems: ProblemList,
): void {
	const shape = spec.params.shape as Record<string, z.ZodType>;
	for (const [field, value] of Object.entries(params)) {
		const fieldSchema = shape[field];
		if (!fieldSchema || value === undefined) continue;
		const parsed = fieldSchema.safeParse(value);
		if (parsed.success) continue;
		for (const issue of parsed.error.issues) {
			const path = formatPath([`nodes[${index}].params`, field, ...issue.path]);
			problems.error("INVALID_NODE_PARAMS", path, `${spec.name}: ${issue.message}`);
		}
	}
}

function checkReachability(
	def: WorkflowDefinition,
	keys: ReadonlyMap<string, number>,
	problems: ProblemList,
): void {
	const nodeKeys = [...keys.keys()];
	const edges = def.transitions.filter((t) => keys.has(t.from) && keys.has(t.to));
	const starts = def.nodes.filter((n) => n.start).map((n) => n.key);
	if (starts.length > 0) {
		const fromStarts = reachable(adjacency(nodeKeys, edges), starts);
		def.nodes.forEach((node, i) => {
			if (!fromStarts.has(node.key) && keys.get(node.key) === i) {
				problems.error(
					"UNREACHABLE_NODE",
					`nodes[${i}]`,
					`"${node.key}" cannot be reached from a start node`,
				);
			}
		});
	}
	const ends = def.nodes.filter((n) => n.end).map((n) => n.key);
	// D2: with no end node, no end can be reached (a→b→a): no process could ever succeed. (An end
	// node that no start node reaches is an UNREACHABLE_NODE error above.)
	if (ends.length === 0) {
		problems.error(
			"NO_END_NODE",
			"nodes",
			"no node is marked end: true, so no end node can be reached and no process can succeed",
		);
		return;
	}
	const toEnds = reachable(adjacency(nodeKeys, edges, true), ends);
	def.nodes.forEach((node, i) => {
		if (!toEnds.has(node.key) && keys.get(node.key) === i) {
			problems.warn(
				"NO_END_REACHABLE",
				`nodes[${i}]`,
				`no end node can be reached from "${node.key}"`,
			);
		}
	});
}

/** D2: literal conditions the parent's task type can never return; an XOR split where none can. */
function checkSplits(def: WorkflowDefinition, catalog: TaskCatalog, problems: ProblemList): void {
	def.nodes.forEach((node, i) => {
		const resultSchema = catalog.get(node.task)?.result;
		if (!resultSchema) return;
		const routes = def.transitions
			.map((t, index) => ({ t, index }))
			.filter(({ t }) => t.from === node.key && t.on !== "failure");
		if (routes.length === 0) return;
		let possible = 0;
		for (const { t, index } of routes) {
			if (canEverMatch(t, (v) => resultSchema.safeParse(v).success)) possible++;
			else {
				problems.warn(
					"CONDITION_NEVER_MATCHES",
					`transitions[${index}].condition`,
					`"${node.task}" never returns ${JSON.stringify(t.condition)}`,
				);
			}
		}
		if (possible === 0 && node.split === "xor") {
			problems.error(
				"XOR_SPLIT_NEVER_MATCHES",
				`nodes[${i}].split`,
				`no condition out of "${node.key}" can match a result of "${node.task}"`,
			);
		}
	});
}

function canEverMatch(t: TransitionDefinition, accepts: (v: unknown) => boolean): boolean {
	const c = t.condition;
	if (c === undefined || c === "" || (typeof c === "string" && c.trimStart().startsWith("="))) {
		return true;
	}
	const text = String(c);
	const candidates: unknown[] = [c, text];
	if (text.trim() !== "" && !Number.isNaN(Number(text))) candidates.push(Number(text));
	if (text === "true" || text === "false") candidates.push(text === "true");
	return candidates.some(accepts);
}
