// Message starts (N3): which workflows start a process when a message of a name is published. The
// rows are derived from each published version (in the batch that publishes it), so a publish
// reads one indexed row per workflow instead of every definition.
import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { isExpression, type WorkflowDefinition } from "../engine/index.ts";
import { messageStarts, workflowVersions } from "./schema/index.ts";

/**
 * The message names a definition's start nodes wait for: top-level start nodes of the `message`
 * task type with a literal name (an expression has no value before the process exists).
 */
export function messageStartNames(definition: WorkflowDefinition): string[] {
	const names = definition.nodes
		.filter((n) => n.start === true && n.task === "message" && n.attachedTo === undefined)
		.map((n) => n.params?.message)
		.filter((name): name is string => typeof name === "string" && !isExpression(name));
	return [...new Set(names)];
}

/** The statements that make the table say what `version` of the workflow starts on. */
export function messageStartWrites(
	d: DrizzleD1Database,
	definition: WorkflowDefinition,
	version: number,
): BatchItem<"sqlite">[] {
	const names = messageStartNames(definition);
	const clear = d.delete(messageStarts).where(eq(messageStarts.workflowKey, definition.key));
	if (names.length === 0) return [clear];
	const rows = names.map((messageName) => ({
		messageName,
		workflowKey: definition.key,
		version,
	}));
	return [clear, d.insert(messageStarts).values(rows)];
}

/**
 * The published definitions that start on this message name (each with its `version` set), or
 * only the given workflow's (a webhook trigger reaches its own workflow only).
 */
export async function messageStartDefinitions(
	db: D1Database,
	messageName: string,
	onlyWorkflow?: string,
): Promise<WorkflowDefinition[]> {
	const rows = await drizzle(db)
		.select({ definition: workflowVersions.definition, version: workflowVersions.version })
		.from(messageStarts)
		.innerJoin(
			workflowVersions,
			and(
				eq(workflowVersions.workflowKey, messageStarts.workflowKey),
				eq(workflowVersions.version, messageStarts.version),
			),
		)
		.where(
			onlyWorkflow === undefined
				? eq(messageStarts.messageName, messageName)
				: and(
						eq(messageStarts.messageName, messageName),
						eq(messageStarts.workflowKey, onlyWorkflow),
					),
		)
		.orderBy(messageStarts.workflowKey);
	return rows.map((r) => ({ ...(r.definition as WorkflowDefinition), version: r.version }));
}
