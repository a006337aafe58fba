// Repository of workflows and their immutable published versions (D3, G9): only a definition that
// compiles is published, and a version row is never updated afterwards.
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
	compileWorkflow,
	EngineError,
	mustCompile,
	type Problem,
	type WorkflowDefinition,
} from "../engine/index.ts";
import { taskCatalog } from "../tasks/registry.ts";
import { auditInsert } from "./audit.ts";
import { messageStartWrites } from "./message-starts.ts";
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

/** The published versions of `key`, or only `version`. */
function publishedOf(key: string, version?: number) {
	return version === undefined
		? eq(workflowVersions.workflowKey, key)
		: and(eq(workflowVersions.workflowKey, key), eq(workflowVersions.version, version));
}

/** The published definition (latest, or the given version), with its `version` set. */
export async function findPublishedVersion(
	db: D1Database,
	key: string,
	version?: number,
): Promise<WorkflowDefinition | undefined> {
	const [row] = await drizzle(db)
		.select({ definition: workflowVersions.definition, version: workflowVersions.version })
		.from(workflowVersions)
		.where(publishedOf(key, version))
		.orderBy(desc(workflowVersions.version))
		.limit(1);
	if (!row) return undefined;
	return { ...(row.definition as WorkflowDefinition), version: row.version };
}

/**
 * Which version of a workflow is the latest published (or whether `version` is published), and
 * when it was published: a small row, without the definition.
 */
export async function findPublishedHead(
	db: D1Database,
	key: string,
	version?: number,
): Promise<{ version: number; publishedAt: number } | undefined> {
	const [row] = await drizzle(db)
		.select({ version: workflowVersions.version, publishedAt: workflowVersions.publishedAt })
		.from(workflowVersions)
		.where(publishedOf(key, version))
		.orderBy(desc(workflowVersions.version))
		.limit(1);
	return row;
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

/** Workflow keys and names, by name (for filters, labels and the scopes of grants). */
export async function workflowNames(db: D1Database): Promise<{ key: string; name: string }[]> {
	return drizzle(db)
		.select({ key: workflows.key, name: workflows.name })
		.from(workflows)
		.orderBy(asc(workflows.name));
}

/** Every workflow (drafts-only ones too), by name, with whether it has a draft. */
export async function listWorkflowsAndDrafts(db: D1Database) {
	return drizzle(db)
		.select({
			key: workflows.key,
			name: workflows.name,
			latestVersion: workflows.latestVersion,
			hasDraft: sql<number>`${workflows.draft} is not null`,
			updatedAt: workflows.updatedAt,
		})
		.from(workflows)
		.orderBy(workflows.name);
}

/** How many workflows there are, and how many of them have a draft. */
export async function workflowCounts(
	db: D1Database,
): Promise<{ workflows: number; drafts: number }> {
	const [row] = await drizzle(db)
		.select({
			total: count(),
			drafts: sql<number>`sum(case when ${workflows.draft} is not null then 1 else 0 end)`,
		})
		.from(workflows);
	return { workflows: row?.total ?? 0, drafts: Number(row?.drafts ?? 0) };
}

/** The latest published definition of every workflow, with the workflow's name. */
export async function latestDefinitions(
	db: D1Database,
): Promise<{ name: string; definition: WorkflowDefinition }[]> {
	const rows = await drizzle(db)
		.select({ name: workflows.name, definition: workflowVersions.definition })
		.from(workflows)
		.innerJoin(
			workflowVersions,
			and(
				eq(workflowVersions.workflowKey, workflows.key),
				eq(workflowVersions.version, workflows.latestVersion),
			),
		);
	return rows.map((r) => ({ name: r.name, definition: r.definition as WorkflowDefinition }));
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
	opts: {
		publishedBy?: string | null;
		/** Who the audit log names (a user id) when `publishedBy` is a display name. */
		auditBy?: string;
		now: number;
		/** Clears the workflow's draft in the same batch, if it is still at this revision. */
		clearDraftRevision?: number;
	},
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
						...(opts.clearDraftRevision === undefined
							? {}
							: {
									draft: sql`CASE WHEN json_extract(${workflows.draft}, '$.revision') = ${opts.clearDraftRevision} THEN NULL ELSE ${workflows.draft} END`,
								}),
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
			// N3: the message starts follow the latest version, in the same transaction.
			...messageStartWrites(d, def, version),
			...(opts.auditBy || opts.publishedBy
				? [
						auditInsert(d, {
							actor: opts.auditBy ?? opts.publishedBy ?? "",
							action: "workflow.published",
							target: def.key,
							details: { version },
							at: opts.now,
						}),
					]
				: []),
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

// ---------------------------------------------------------------------------------------------
// Drafts: the one editable copy of a workflow (D3: editing never touches a published version).

/** The editable draft of a workflow, as the admin editor keeps it in `workflows.draft`. */
export interface WorkflowDraft {
	/** The definition being edited; it may not compile yet (the editor shows every problem). */
	definition: WorkflowDefinition;
	/** The version the draft was started from; null for a workflow never published. */
	basedOn: number | null;
	/** Bumped on every save: a save from a stale page is refused (optimistic concurrency). */
	revision: number;
	savedAt: number;
	savedBy: string | null;
}

export interface WorkflowRow {
	key: string;
	name: string;
	description: string | null;
	latestVersion: number | null;
	draft: WorkflowDraft | null;
	updatedAt: number;
}

/** The workflow row with its draft, or undefined. */
export async function findWorkflow(db: D1Database, key: string): Promise<WorkflowRow | undefined> {
	const row = (
		await drizzle(db)
			.select({
				key: workflows.key,
				name: workflows.name,
				description: workflows.description,
				latestVersion: workflows.latestVersion,
				draft: workflows.draft,
				updatedAt: workflows.updatedAt,
			})
			.from(workflows)
			.where(eq(workflows.key, key))
	)[0];
	if (!row) return undefined;
	return { ...row, draft: (row.draft as WorkflowDraft | null) ?? null };
}

/** The draft of a workflow, or null when it has none. */
export async function getDraft(db: D1Database, key: string): Promise<WorkflowDraft | null> {
	return (await findWorkflow(db, key))?.draft ?? null;
}

/**
 * A new workflow that exists only as a draft until its first publication. Throws `conflict` when
 * the key is taken.
 */
export async function createDraftWorkflow(
	db: D1Database,
	definition: WorkflowDefinition,
	opts: { savedBy?: string | null; now: number },
): Promise<WorkflowDraft> {
	const draft: WorkflowDraft = {
		definition: withoutVersion(definition),
		basedOn: null,
		revision: 1,
		savedAt: opts.now,
		savedBy: opts.savedBy ?? null,
	};
	const inserted = await drizzle(db)
		.insert(workflows)
		.values({
			key: definition.key,
			name: definition.name || definition.key,
			description: definition.description ?? null,
			latestVersion: null,
			draft,
			createdAt: opts.now,
			updatedAt: opts.now,
		})
		.onConflictDoNothing()
		.returning({ key: workflows.key });
	if (inserted.length === 0) {
		throw new EngineError("conflict", `a workflow with the key "${definition.key}" exists`);
	}
	return draft;
}

/**
 * Saves the draft of an existing workflow. `expectedRevision` is the revision the editor showed
 * (null: the workflow must have no draft); a different one throws `conflict`, so two admins never
 * overwrite each other's edits unknowingly. The workflow key itself never changes.
 */
export async function saveDraft(
	db: D1Database,
	key: string,
	definition: WorkflowDefinition,
	opts: {
		expectedRevision: number | null;
		basedOn?: number | null;
		savedBy?: string | null;
		now: number;
	},
): Promise<WorkflowDraft> {
	const current = await findWorkflow(db, key);
	if (!current) throw new EngineError("not_found", `no workflow "${key}"`);
	const currentRevision = current.draft?.revision ?? null;
	if (currentRevision !== opts.expectedRevision) throw staleDraft(key);
	const draft: WorkflowDraft = {
		definition: { ...withoutVersion(definition), key },
		basedOn: opts.basedOn === undefined ? (current.draft?.basedOn ?? null) : opts.basedOn,
		revision: (currentRevision ?? 0) + 1,
		savedAt: opts.now,
		savedBy: opts.savedBy ?? null,
	};
	const guard =
		currentRevision === null
			? sql`${workflows.draft} IS NULL`
			: sql`json_extract(${workflows.draft}, '$.revision') = ${currentRevision}`;
	const updated = await drizzle(db)
		.update(workflows)
		.set({ draft, updatedAt: opts.now })
		.where(and(eq(workflows.key, key), guard))
		.returning({ key: workflows.key });
	if (updated.length === 0) throw staleDraft(key);
	return draft;
}

/** Starts a draft from a published version (any of them); refused when a draft exists. */
export async function startDraftFromVersion(
	db: D1Database,
	key: string,
	version: number,
	opts: { savedBy?: string | null; now: number; replaceRevision?: number },
): Promise<WorkflowDraft> {
	const definition = await findPublishedVersion(db, key, version);
	if (!definition) throw new EngineError("not_found", `no version ${version} of "${key}"`);
	return saveDraft(db, key, definition, {
		expectedRevision: opts.replaceRevision ?? null,
		basedOn: version,
		savedBy: opts.savedBy ?? null,
		now: opts.now,
	});
}

/**
 * Throws the draft away. A workflow that was never published goes with it (it was only a draft).
 * `expectedRevision` guards against discarding edits made meanwhile.
 */
export async function discardDraft(
	db: D1Database,
	key: string,
	expectedRevision: number,
): Promise<{ deletedWorkflow: boolean }> {
	const d = drizzle(db);
	const guard = and(
		eq(workflows.key, key),
		sql`json_extract(${workflows.draft}, '$.revision') = ${expectedRevision}`,
	);
	const [deleted] = await d.batch([
		d
			.delete(workflows)
			.where(and(guard, sql`${workflows.latestVersion} IS NULL`))
			.returning({ key: workflows.key }),
		d.update(workflows).set({ draft: null }).where(guard).returning({ key: workflows.key }),
	]);
	const cleared = await findWorkflow(db, key);
	if (deleted.length > 0) return { deletedWorkflow: true };
	if (cleared && cleared.draft !== null) throw staleDraft(key);
	if (!cleared) throw new EngineError("not_found", `no workflow "${key}"`);
	return { deletedWorkflow: false };
}

/**
 * Publishes the draft at `revision` as the next version (D2 first: throws `invalid_definition` with
 * every problem) and clears it in the same batch.
 */
export async function publishDraft(
	db: D1Database,
	key: string,
	opts: { revision: number; publishedBy?: string | null; auditBy?: string; now: number },
): Promise<PublishResult> {
	const draft = await getDraft(db, key);
	if (!draft) throw new EngineError("not_found", `"${key}" has no draft`);
	if (draft.revision !== opts.revision) throw staleDraft(key);
	return publishWorkflow(
		db,
		{ ...draft.definition, key },
		{
			publishedBy: opts.publishedBy ?? null,
			...(opts.auditBy ? { auditBy: opts.auditBy } : {}),
			now: opts.now,
			clearDraftRevision: draft.revision,
		},
	);
}

function withoutVersion(definition: WorkflowDefinition): WorkflowDefinition {
	const copy = { ...definition };
	delete copy.version;
	return copy;
}

function staleDraft(key: string): EngineError {
	return new EngineError(
		"conflict",
		`the draft of "${key}" was changed meanwhile (another tab or admin); reload it and redo the change`,
	);
}
