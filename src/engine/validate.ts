// D1–D2: the graph checks of a structurally valid definition, every problem at once with its path.
// Structure (types, bounds, unknown keys) is the schema's job (definition-schema.ts).
import type { z } from "zod";
import { compileCondition } from "./conditions.ts";
import { adjacency, reachable } from "./graph.ts";
import { type Level, levelsOf, type PlacedNode } from "./levels.ts";
import type { TransitionDefinition, WorkflowDefinition } from "./model.ts";
import { formatPath, ProblemList } from "./problems.ts";
import { scheduleProblems } from "./schedules.ts";
import type { TaskCatalog, TaskTypeSpec } from "./task-type-spec.ts";
import { checkAuthority } from "./validate-authority.ts";
import { checkEvents } from "./validate-events.ts";

/**
 * D2: checks nodes, transitions, task types, reachability, conditions, params and roles, at the top
 * level and inside every scope (C1); then the time and event constructs (validate-events.ts).
 */
export function validateDefinition(def: WorkflowDefinition, catalog: TaskCatalog): ProblemList {
	const problems = new ProblemList();
	const levels = levelsOf(def);
	const all = levels.flatMap((level) => level.nodes);
	const keys = new Map<string, string>();
	for (const { node, path } of all) {
		if (keys.has(node.key)) {
			problems.error("DUPLICATE_NODE_KEY", `${path}.key`, `node key "${node.key}" is used twice`);
		} else keys.set(node.key, path);
	}
	if (!def.nodes.some((n) => n.start)) {
		problems.error("NO_START_NODE", "nodes", "no node is marked start: true");
	}
	checkRoles(def, all, problems);
	for (const level of levels) checkTransitions(level, keys, problems);
	for (const { node, path } of all) {
		const spec = catalog.get(node.task);
		if (!spec) {
			problems.error("UNKNOWN_TASK_TYPE", `${path}.task`, `unknown task type "${node.task}"`);
			continue;
		}
		checkNodeParams(spec, { ...(def.params ?? {}), ...(node.params ?? {}) }, path, problems);
		if (node.inline && !spec.runInline) {
			problems.error(
				"NOT_INLINE_TASK_TYPE",
				`${path}.inline`,
				`task type "${node.task}" cannot run inline: only pure, synchronous task types can (dummy, add, question)`,
			);
		}
	}
	for (const level of levels) {
		checkReachability(level, problems);
		checkSplits(level, catalog, problems);
	}
	checkAuthority(def, catalog, problems);
	checkEvents(levels, catalog, problems);
	for (const p of scheduleProblems(def)) problems.items.push(p);
	return problems;
}

function checkRoles(def: WorkflowDefinition, all: PlacedNode[], problems: ProblemList): void {
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
	for (const { node, path } of all) {
		if (node.role !== undefined && !declared.has(node.role)) {
			problems.error("UNDECLARED_ROLE", `${path}.role`, `role "${node.role}" is not in roles`);
		}
	}
}

/** D2 per level: transitions join nodes of the same graph (C1: none crosses a scope's edge). */
function checkTransitions(
	level: Level,
	keys: ReadonlyMap<string, string>,
	problems: ProblemList,
): void {
	const here = new Set(level.nodes.map((p) => p.node.key));
	const pairs = new Set<string>();
	for (const { transition: t, path } of level.transitions) {
		for (const end of ["from", "to"] as const) {
			if (here.has(t[end])) continue;
			if (keys.has(t[end])) {
				problems.error(
					"TRANSITION_CROSSES_SCOPE",
					`${path}.${end}`,
					`"${t[end]}" is in another ${level.scope ? "graph than this scope's" : "scope"}: a transition stays inside one graph`,
				);
			} else {
				problems.error("UNKNOWN_NODE", `${path}.${end}`, `no node has the key "${t[end]}"`);
			}
		}
		const pair = `${t.from}\u0000${t.to}`;
		if (pairs.has(pair)) {
			problems.error(
				"DUPLICATE_TRANSITION",
				path,
				`a second transition from "${t.from}" to "${t.to}" (at most one per ordered pair)`,
			);
		}
		pairs.add(pair);
		const compiled = compileCondition(t.condition);
		if (!compiled.ok) problems.error("CONDITION_SYNTAX", `${path}.condition`, compiled.message);
	}
}

/** D2: node params must have the right *types*; missing values are fine (a person may supply them). */
function checkNodeParams(
	spec: TaskTypeSpec,
	params: Record<string, unknown>,
	nodePath: string,
	problems: ProblemList,
): void {
	const shape = spec.params.shape as Record<string, z.ZodType>;
	for (const [field, value] of Object.entries(params)) {
		const fieldSchema = shape[field];
		if (!fieldSchema || value === undefined) continue;
		const parsed = fieldSchema.safeParse(value);
		if (parsed.success) continue;
		for (const issue of parsed.error.issues) {
			const path = formatPath([`${nodePath}.params`, field, ...issue.path]);
			problems.error("INVALID_NODE_PARAMS", path, `${spec.name}: ${issue.message}`);
		}
	}
}

/**
 * D2 per level: every node is reached from a start node (a boundary from its host, B1), and an end
 * node can be reached. A scope's inner graph needs its own start and end (C1).
 */
function checkReachability(level: Level, problems: ProblemList): void {
	const nodes = level.nodes;
	const nodeKeys = nodes.map((p) => p.node.key);
	const here = new Set(nodeKeys);
	const edges: { from: string; to: string }[] = level.transitions
		.map((p) => p.transition)
		.filter((t) => here.has(t.from) && here.has(t.to));
	for (const { node } of nodes) {
		if (node.attachedTo !== undefined && here.has(node.attachedTo)) {
			edges.push({ from: node.attachedTo, to: node.key });
		}
	}
	const where = level.scope ? `${level.scope.path}.nodes` : "nodes";
	const inScope = level.scope ? ` in scope "${level.scope.node.key}"` : "";
	const starts = nodes.filter((p) => p.node.start).map((p) => p.node.key);
	if (level.scope && starts.length === 0) {
		problems.error("NO_START_NODE", where, `no inner node${inScope} is marked start: true`);
	}
	if (starts.length > 0) {
		const fromStarts = reachable(adjacency(nodeKeys, edges), starts);
		for (const { node, path } of nodes) {
			if (!fromStarts.has(node.key)) {
				problems.error(
					"UNREACHABLE_NODE",
					path,
					`"${node.key}" cannot be reached from a start node${inScope}`,
				);
			}
		}
	}
	const ends = nodes.filter((p) => p.node.end).map((p) => p.node.key);
	// D2: with no end node, no end can be reached (a→b→a): no process could ever succeed. (An end
	// node that no start node reaches is an UNREACHABLE_NODE error above.)
	if (ends.length === 0) {
		problems.error(
			"NO_END_NODE",
			where,
			`no node${inScope} is marked end: true, so no end node can be reached and no ${level.scope ? "scope" : "process"} can succeed`,
		);
		return;
	}
	const toEnds = reachable(adjacency(nodeKeys, edges, true), ends);
	for (const { node, path } of nodes) {
		// A boundary that only reminds (non-interrupting, no path) is not a dead end of the flow.
		if (node.attachedTo !== undefined && node.interrupting === false) continue;
		if (!toEnds.has(node.key)) {
			problems.warn("NO_END_REACHABLE", path, `no end node can be reached from "${node.key}"`);
		}
	}
}

/** D2: literal conditions the parent's task type can never return; an XOR split where none can. */
function checkSplits(level: Level, catalog: TaskCatalog, problems: ProblemList): void {
	for (const { node, path: nodePath } of level.nodes) {
		// M1: a multi-instance node returns the list of its instances' results, not one result.
		if (node.multiInstance) continue;
		const resultSchema = catalog.get(node.task)?.result;
		if (!resultSchema) continue;
		const routes = level.transitions.filter(
			({ transition: t }) => t.from === node.key && t.on !== "failure",
		);
		if (routes.length === 0) continue;
		let possible = 0;
		for (const { transition: t, path } of routes) {
			if (canEverMatch(t, (v) => resultSchema.safeParse(v).success)) possible++;
			else {
				problems.warn(
					"CONDITION_NEVER_MATCHES",
					`${path}.condition`,
					`"${node.task}" never returns ${JSON.stringify(t.condition)}`,
				);
			}
		}
		if (possible === 0 && node.split === "xor") {
			problems.error(
				"XOR_SPLIT_NEVER_MATCHES",
				`${nodePath}.split`,
				`no condition out of "${node.key}" can match a result of "${node.task}"`,
			);
		}
	}
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
