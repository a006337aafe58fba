// Bulk actions on the processes a filter selects (stop, suspend, resume, retry failed tasks,
// migrate): a preview of how many, then an operation that acts on them a chunk at a time through
// the operations queue, with its progress in D1. Each process gets the very act an administrator
// would do on its page, keyed per operation and process, so a chunk run twice (a redelivered
// message, a restart after a crash) acts once; each process's own history and audit entry record
// it. The selection is fixed when the operation is created: processes started later are not in it.
import { incidentsOf } from "../admin/incidents.ts";
import type { CurrentUser } from "../auth/current-user.ts";
import { isAdmin } from "../auth/permissions.ts";
import { recordAudit } from "../db/audit.ts";
import {
	BULK_ACTIONS,
	type BulkAction,
	type BulkOperationRow,
	createBulkOperation,
	eligibleFor,
	findBulkOperation,
	type ItemOutcome,
	pendingItems,
	recordOutcomes,
	stalledBulkOperations,
	touchBulkOperation,
} from "../db/bulk-operations.ts";
import { loadUser } from "../db/people.ts";
import { type ProcessFilter, processIdsMatching } from "../db/process-index.ts";
import { findPublishedVersion } from "../db/workflows.ts";
import { EngineError, type NodeMapping } from "../engine/index.ts";
import { visibleProcess } from "./access.ts";
import { adminTaskAct, stopProcess } from "./acts.ts";
import { migrateProcesses } from "./migrations.ts";
import { resumeProcess, suspendProcess } from "./operations.ts";

/** The most processes one operation selects; a larger selection is refused with the count. */
export const BULK_LIMIT = 10_000;
/** Processes acted on per queue message: small enough to finish well inside one invocation. */
export const BULK_CHUNK = 25;
/** How many ProcessObjects one chunk asks at once. */
const PARALLEL = 5;
/** An operation whose chunk has not moved for this long has lost its message; the tick resends it. */
export const BULK_STALL_MS = 2 * 60_000;

export type BulkFilter = Omit<ProcessFilter, "page">;

export interface BulkRequest {
	action: BulkAction;
	filter: BulkFilter;
	/** suspend: why, shown to people the process refuses meanwhile. */
	reason?: string;
	/** migrate: the workflow's published version to move to, and the node mapping. */
	toVersion?: number;
	mapping?: NodeMapping;
}

export interface BulkPreview {
	action: BulkAction;
	/** The processes the action would act on (the filter, and what the action applies to). */
	count: number;
	/** How many the list's filter selects, before the action's own condition. */
	matching: number;
	/** True when `count` is over BULK_LIMIT: narrow the filter. */
	tooMany: boolean;
	/** migrate: the dry run of the first processes (O2: it equals the applied result). */
	dryRun?: { processId: string; migrated: boolean; blockers: string[] }[];
}

/** The message that asks for a chunk of an operation. */
export interface BulkMessage {
	kind: "bulk";
	operationId: string;
	chunk: number;
}

export function isBulkAction(value: unknown): value is BulkAction {
	return typeof value === "string" && (BULK_ACTIONS as readonly string[]).includes(value);
}

function requireAdmin(user: CurrentUser) {
	if (!isAdmin(user)) throw new EngineError("forbidden", "Only administrators may do this.");
}

/** The migration's target, checked: the workflow is the filter's, the version is published. */
async function migrationTarget(env: Env, request: BulkRequest) {
	if (request.action !== "migrate") return undefined;
	const workflowKey = request.filter.workflow;
	if (!workflowKey) {
		throw new EngineError(
			"invalid_params",
			"Choose a workflow in the filters first: a migration moves the processes of one workflow.",
		);
	}
	if (request.toVersion === undefined || !Number.isInteger(request.toVersion)) {
		throw new EngineError("invalid_params", "Choose the version to migrate to.");
	}
	const definition = await findPublishedVersion(env.DB, workflowKey, request.toVersion);
	if (!definition) {
		throw new EngineError(
			"not_found",
			`"${workflowKey}" has no published version ${request.toVersion}.`,
		);
	}
	return { workflowKey, toVersion: request.toVersion };
}

async function select(env: Env, user: CurrentUser, request: BulkRequest, limit: number) {
	const target = await migrationTarget(env, request);
	const [all, eligible] = await Promise.all([
		processIdsMatching(env.DB, user, request.filter, undefined, 0),
		processIdsMatching(env.DB, user, request.filter, eligibleFor(request.action, target), limit),
	]);
	return { matching: all.total, ...eligible };
}

/** How many processes the action would act on; for a migration, the first ones' dry run. */
export async function previewBulk(
	env: Env,
	user: CurrentUser,
	request: BulkRequest,
): Promise<BulkPreview> {
	requireAdmin(user);
	const { ids, total, matching } = await select(env, user, request, 20);
	const preview: BulkPreview = {
		action: request.action,
		count: total,
		matching,
		tooMany: total > BULK_LIMIT,
	};
	if (request.action === "migrate" && ids.length > 0 && request.filter.workflow) {
		const report = await migrateProcesses(env, user, {
			workflowKey: request.filter.workflow,
			toVersion: request.toVersion as number,
			mapping: request.mapping ?? {},
			dryRun: true,
			processIds: ids,
		});
		preview.dryRun = report.results.map((r) => ({
			processId: r.processId,
			migrated: "plan" in r && r.plan.blockers.length === 0,
			blockers: "plan" in r ? r.plan.blockers : [r.error.message],
		}));
	}
	return preview;
}

/** Creates the operation with its selection and sends its first chunk. */
export async function startBulk(
	env: Env,
	user: CurrentUser,
	request: BulkRequest,
	now: number,
): Promise<BulkOperationRow> {
	requireAdmin(user);
	const { ids, total } = await select(env, user, request, BULK_LIMIT + 1);
	if (total > BULK_LIMIT) {
		throw new EngineError(
			"invalid_params",
			`The filters select ${total} processes; one bulk action acts on at most ${BULK_LIMIT}. Narrow the filters.`,
		);
	}
	const id = crypto.randomUUID();
	const options = {
		...(request.reason ? { reason: request.reason } : {}),
		...(request.action === "migrate"
			? { toVersion: request.toVersion, mapping: request.mapping ?? {} }
			: {}),
	};
	await createBulkOperation(env.DB, {
		id,
		action: request.action,
		filter: request.filter,
		options,
		createdBy: user.id,
		createdAt: now,
		processIds: ids,
	});
	await recordAudit(env.DB, {
		actor: user.id,
		action: `bulk.${request.action}`,
		target: id,
		details: { filter: request.filter, count: ids.length, ...options },
	});
	if (ids.length > 0) await sendChunk(env, id, 0);
	const created = await findBulkOperation(env.DB, id);
	if (!created) throw new Error(`bulk operation ${id} vanished after its creation`);
	return created;
}

async function sendChunk(env: Env, operationId: string, chunk: number) {
	const message: BulkMessage = { kind: "bulk", operationId, chunk };
	await env.OPERATIONS.send(message, { contentType: "json" });
}

/** Refusals that mean "nothing to do here now": the process changed since it was selected. */
const SKIPPED_CODES = new Set(["not_running", "conflict", "suspended", "not_found"]);

function outcomeOfError(processId: string, e: unknown): ItemOutcome {
	if (e instanceof EngineError) {
		return {
			processId,
			outcome: SKIPPED_CODES.has(e.code) ? "skipped" : "failed",
			message: e.message,
		};
	}
	return {
		processId,
		outcome: "failed",
		message: `Could not reach the process: ${e instanceof Error ? e.message : String(e)}`,
	};
}

/** The administrator who created the operation, as they stand now (rights may have changed). */
async function creatorOf(env: Env, op: BulkOperationRow): Promise<CurrentUser | string> {
	const loaded = await loadUser(env.DB, { id: op.createdBy });
	if (!loaded?.user.active) return "The administrator who started this action is no longer active.";
	if (!loaded.user.isAdmin) {
		return "The user who started this action is no longer an administrator.";
	}
	return {
		id: loaded.user.id,
		email: loaded.user.email,
		displayName: loaded.user.displayName,
		isAdmin: true,
		roles: loaded.roles,
		grants: loaded.grants,
		via: "operation",
	};
}

/** P8, R4: every task an administrator could retry from the incidents page. */
async function retryFailedTasks(env: Env, user: CurrentUser, processId: string) {
	const view = await visibleProcess(env, user, processId);
	const byCategory = incidentsOf([view]);
	const taskIds = [...byCategory.failed, ...byCategory.dead_letter]
		.filter((i) => i.actions.includes("retry") && i.taskId !== undefined)
		.map((i) => i.taskId as string);
	if (taskIds.length === 0) {
		throw new EngineError("conflict", "No failed task to retry any more.");
	}
	for (const taskId of taskIds) await adminTaskAct(env, user, taskId, "retry");
	return `Retried ${taskIds.length} task${taskIds.length === 1 ? "" : "s"}.`;
}

async function actOn(
	env: Env,
	user: CurrentUser,
	op: BulkOperationRow,
	processId: string,
): Promise<ItemOutcome> {
	const key = `bulk:${op.id}`;
	const options = (op.options ?? {}) as { reason?: string };
	try {
		switch (op.action as BulkAction) {
			case "stop":
				await stopProcess(env, user, processId, `${key}:${processId}`);
				return { processId, outcome: "succeeded", message: null };
			case "suspend":
				await suspendProcess(env, user, processId, options.reason, key);
				return { processId, outcome: "succeeded", message: null };
			case "resume":
				await resumeProcess(env, user, processId, key);
				return { processId, outcome: "succeeded", message: null };
			case "retry":
				return {
					processId,
					outcome: "succeeded",
					message: await retryFailedTasks(env, user, processId),
				};
			case "migrate":
				throw new Error("migrations run a chunk at a time");
		}
	} catch (e) {
		return outcomeOfError(processId, e);
	}
	throw new Error(`unknown bulk action ${op.action}`);
}

/** O2 for a chunk: one definition read, the processes migrated in parallel, one audit batch. */
async function migrateChunk(
	env: Env,
	user: CurrentUser,
	op: BulkOperationRow,
	processIds: string[],
): Promise<ItemOutcome[]> {
	const filter = op.filter as BulkFilter;
	const options = op.options as { toVersion: number; mapping: NodeMapping };
	try {
		const report = await migrateProcesses(env, user, {
			workflowKey: filter.workflow as string,
			toVersion: options.toVersion,
			mapping: options.mapping,
			dryRun: false,
			processIds,
		});
		return report.results.map((r): ItemOutcome => {
			if (!("plan" in r))
				return { processId: r.processId, outcome: "failed", message: r.error.message };
			if (r.migrated) {
				const moved = r.plan.moves.filter((m) => m.from !== m.to).length;
				return {
					processId: r.processId,
					outcome: "succeeded",
					message: `v${r.plan.from} → v${r.plan.to}${moved ? `, ${moved} task${moved === 1 ? "" : "s"} moved` : ""}${r.plan.revoked.length ? `, ${r.plan.revoked.length} revoked` : ""}`,
				};
			}
			return { processId: r.processId, outcome: "skipped", message: r.plan.blockers.join("; ") };
		});
	} catch (e) {
		return processIds.map((id) => outcomeOfError(id, e));
	}
}

/**
 * Runs chunk `chunk` of the operation: the next processes still to do, each acted on once, their
 * outcomes recorded; then asks for the next chunk. A message for a chunk already done (a
 * duplicate) or for an operation no longer running does nothing.
 */
export async function runBulkChunk(env: Env, message: BulkMessage, now: () => number) {
	const op = await findBulkOperation(env.DB, message.operationId);
	if (op?.status !== "running" || op.chunks !== message.chunk) return;
	await touchBulkOperation(env.DB, op.id, now());
	const ids = await pendingItems(env.DB, op.id, BULK_CHUNK);
	const user = await creatorOf(env, op);
	let outcomes: ItemOutcome[];
	if (typeof user === "string") {
		// Nobody may act for it any more: every process left is failed with the reason, at once.
		const left = await pendingItems(env.DB, op.id, BULK_LIMIT);
		outcomes = left.map((processId) => ({ processId, outcome: "failed", message: user }));
	} else if (op.action === "migrate") {
		outcomes = await migrateChunk(env, user, op, ids);
	} else {
		outcomes = [];
		for (let i = 0; i < ids.length; i += PARALLEL) {
			const part = ids.slice(i, i + PARALLEL);
			outcomes.push(...(await Promise.all(part.map((id) => actOn(env, user, op, id)))));
		}
	}
	const { operation, advanced } = await recordOutcomes(
		env.DB,
		op.id,
		message.chunk,
		outcomes,
		now(),
	);
	if (advanced && operation?.status === "running") await sendChunk(env, op.id, message.chunk + 1);
}

/** The Cron Trigger's watchdog: a running operation that stopped moving gets its chunk again. */
export async function restartStalledBulk(env: Env, now: number): Promise<number> {
	const stalled = await stalledBulkOperations(env.DB, now - BULK_STALL_MS);
	for (const id of stalled) {
		const op = await findBulkOperation(env.DB, id);
		if (op?.status === "running") {
			await touchBulkOperation(env.DB, id, now);
			await sendChunk(env, id, op.chunks);
		}
	}
	return stalled.length;
}

/** The operations queue's consumer: each message is one chunk. */
export async function consumeOperations(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	for (const message of batch.messages) {
		const body = message.body as Partial<BulkMessage> | null;
		if (
			body?.kind !== "bulk" ||
			typeof body.operationId !== "string" ||
			typeof body.chunk !== "number"
		) {
			message.ack();
			continue;
		}
		try {
			await runBulkChunk(env, body as BulkMessage, Date.now);
			message.ack();
		} catch (e) {
			console.error(
				JSON.stringify({ where: "bulk", operationId: body.operationId, error: String(e) }),
			);
			message.retry();
		}
	}
}
