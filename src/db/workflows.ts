// Repository of workflows and their immutable published versions (D3, G9): only a definition that
// compiles is published, and a version row is never updated afterwards.
import { and, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
	compileWorkflow,
	EngineError,
	mustCompile,
	type Problem,
	type WorkflowDefinition,
} from "../engine/index.ts";
import { taskCatalog } from "../tasks/registry.ts";
import { workflows, workflowVersions } from "./schema/index.ts";

export interface WorkflowSummary {
	key: string;
	name: string;
	description: string | null;
	latestVersion: number | null;
	updatedAt: number;
}

export interface PublishResult {
	key: string;
	version: number;
	warnings: Problem[];
}

/** The published definition (latest, or the given version), with its `version` set. */
export async function findPublishedVersion(
	db: D1Database,
	key: string,
	version?: number,
): Promise<WorkflowDefinition | undefined> {
	const d = drizzle(db);
	const where =
		version === undefined
			? eq(workflowVersions.workflowKey, key)
			: and(eq(workflowVersions.workflowKey, key), eq(workflowVersions.version, version));
	const row = (
		await d
			.select({ definition: workflowVersions.definition, version: workflowVersions.version })
			.from(workflowVersions)
			.where(where)
			.orderBy(desc(workflowVersions.version))
			.limit(1)
	)[0];
	if (!row) return undefined;
	return { ...(row.definition as WorkflowDefinition), version: row.version };
}

export async function listWorkflows(db: D1Database): Promise<WorkflowSummary[]> {
	return drizzle(db)
		.select({
			key: workflows.key,
			name: workflows.name,
			description: workflows.description,
			latestVersion: workflows.latestVersion,
			updatedAt: workflows.updatedAt,
		})
		.from(workflows)
		.orderBy(workflows.name);
}

export async function listVersions(db: D1Database, key: string) {
	return drizzle(db)
		.select({
			version: workflowVersions.version,
			publishedAt: workflowVersions.publishedAt,
			publishedBy: workflowVersions.publishedBy,
		})
		.from(workflowVersions)
		.where(eq(workflowVersions.workflowKey, key))
		.orderBy(desc(workflowVersions.version));
}

/**
 * Publishes `input` as the next version of its workflow. Throws `invalid_definition` with every
 * problem when it does not compile, and `conflict` when another publication took the version first.
 */
export async function publishWorkflow(
	db: D1Database,
	input: unknown,
	opts: { publishedBy?: string | null; now: number },
): Promise<PublishResult> {
	const compiled = compileWorkflow(input, taskCatalog);
	if (!compiled.ok) throw mustCompileError(input);
	const def: WorkflowDefinition = { ...compiled.workflow.definition };
	delete def.version;
	const d = drizzle(db);
	const current = (
		await d
			.select({ latest: workflows.latestVersion })
			.from(workflows)
			.where(eq(workflows.key, def.key))
	)[0];
	const version = (current?.latest ?? 0) + 1;
	try {
		// One batch = one transaction: the version row and the pointer move together or not at all;
		// the (key, version) primary key makes a concurrent publication of the same number fail.
		await d.batch([
			d
				.insert(workflows)
				.values({
					key: def.key,
					name: def.name,
					description: def.description ?? null,
					latestVersion: version,
					createdAt: opts.now,
					updatedAt: opts.now,
				})
				.onConflictDoUpdate({
					target: workflows.key,
					set: {
						name: def.name,
						description: def.description ?? null,
						latestVersion: version,
						updatedAt: opts.now,
					},
					setWhere: sql`coalesce(${workflows.latestVersion}, 0) = ${version - 1}`,
				}),
			d.insert(workflowVersions).values({
				workflowKey: def.key,
				version,
				definition: def,
				publishedAt: opts.now,
				publishedBy: opts.publishedBy ?? null,
			}),
		]);
	} catch (e) {
		throw new EngineError(
			"conflict",
			`version ${version} of "${def.key}" was published meanwhile; try again`,
			{
				cause: String(e),
			},
		);
	}
	return { key: def.key, version, warnings: compiled.warnings };
}

/** The `invalid_definition` error, with every problem, for a definition known not to compile. */
function mustCompileError(input: unknown): EngineError {
	try {
		mustCompile(input, taskCatalog);
	} catch (e) {
		if (e instanceof EngineError) return e;
		throw e;
	}
	return new EngineError("invalid_definition", "invalid workflow definition");
}
