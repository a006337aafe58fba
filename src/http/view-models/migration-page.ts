// The migration page's props (O2): the versions to move from and to, the node mapping as the form
// shows it (same keys by default; another node, or "revoke"), and the dry run or the applied result
// per process: what moves where, what is revoked, what cannot migrate and why.

import { allNodes, type NodeMapping, type WorkflowDefinition } from "../../engine/index.ts";
import type { MigrationReport } from "../../processes/migrations.ts";
import { processHref } from "./format.ts";

/** The select's value for "revoke its active tasks". */
export const REVOKE = "-revoke-";

export interface MappingRow {
	node: string;
	nodeName: string;
	/** The form field: `map.<node>`. */
	field: string;
	value: string;
	choices: { value: string; label: string }[];
}

export interface MigrationResultRow {
	processId: string;
	href: string;
	outcome: string;
	moves: string[];
	revoked: string[];
	blockers: string[];
}

export interface MigrationPageView {
	workflowKey: string;
	versions: { value: string; label: string }[];
	from: number;
	to: number;
	mapping: MappingRow[];
	dryRun?: boolean;
	results?: MigrationResultRow[];
	/** More processes than one run takes: run it again for the next ones. */
	hasMore?: boolean;
}

/** The mapping the form sent (`map.<node>` fields), or the default: same keys, else revoke. */
export function mappingFrom(
	form: Record<string, string | undefined>,
	from: WorkflowDefinition,
	to: WorkflowDefinition,
): NodeMapping {
	const targets = new Set(allNodes(to).map((n) => n.key));
	const mapping: NodeMapping = {};
	for (const node of allNodes(from)) {
		const chosen = form[`map.${node.key}`];
		if (chosen === REVOKE) mapping[node.key] = null;
		else if (chosen && targets.has(chosen)) mapping[node.key] = chosen;
		else if (!targets.has(node.key)) mapping[node.key] = null;
	}
	return mapping;
}

export function migrationPageView(input: {
	workflowKey: string;
	versions: number[];
	from: WorkflowDefinition;
	to: WorkflowDefinition;
	mapping: NodeMapping;
	report?: MigrationReport;
}): MigrationPageView {
	const toNodes = allNodes(input.to);
	const choices = [
		...toNodes.map((n) => ({ value: n.key, label: n.name ? `${n.name} (${n.key})` : n.key })),
		{ value: REVOKE, label: "Revoke its tasks" },
	];
	const nameOf = new Map(
		[...allNodes(input.from), ...toNodes].map((n) => [n.key, n.name ?? n.key]),
	);
	const view: MigrationPageView = {
		workflowKey: input.workflowKey,
		versions: input.versions.map((v) => ({ value: String(v), label: `Version ${v}` })),
		from: input.from.version ?? 0,
		to: input.to.version ?? 0,
		mapping: allNodes(input.from).map((node) => {
			const mapped = Object.hasOwn(input.mapping, node.key) ? input.mapping[node.key] : node.key;
			return {
				node: node.key,
				nodeName: node.name ?? node.key,
				field: `map.${node.key}`,
				value: mapped === null || mapped === undefined ? REVOKE : mapped,
				choices,
			};
		}),
	};
	if (input.report) {
		view.dryRun = input.report.dryRun;
		view.hasMore = input.report.next !== null;
		view.results = input.report.results.map((r) => {
			const plan = "plan" in r ? r.plan : undefined;
			const blockers = plan ? plan.blockers : "error" in r ? [r.error.message] : [];
			const can = blockers.length === 0;
			return {
				processId: r.processId,
				href: processHref(r.processId),
				outcome: r.migrated
					? "Migrated"
					: can
						? input.report?.dryRun
							? "Can migrate"
							: "Not migrated"
						: "Cannot migrate",
				moves: (plan?.moves ?? []).map(
					(m) => `${nameOf.get(m.from) ?? m.from} → ${nameOf.get(m.to) ?? m.to}`,
				),
				revoked: (plan?.revoked ?? []).map((x) => nameOf.get(x.node) ?? x.node),
				blockers,
			};
		});
	}
	return view;
}
