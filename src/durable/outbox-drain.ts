// Sends what the outbox holds: queue messages in batches, the D1 index in one batch, and the calls
// to other processes (children, parent, with idempotency keys), to message boxes and to task boards
// (which know an attempt they hold). A row is deleted only after its send succeeded, so a crash in
// between sends it again; every receiver tolerates a duplicate (G3, S3).

import { pickAssigneeForRole } from "../db/people.ts";
import { processRow, taskRow, writeIndex } from "../db/process-index.ts";
import { findPublishedVersion } from "../db/workflows.ts";
import {
	type Command,
	type CompiledWorkflow,
	isTaskActive,
	type ProcessState,
} from "../engine/index.ts";
import { taskBoard } from "../external/board-stub.ts";
import { announceTaskChanges } from "../inbox-live/announce.ts";
import { messageBox } from "../messages/message.ts";
import { publishMessage } from "../messages/publish.ts";
import { noteTaskChanges } from "../notifications/task-changes.ts";
import { taskQueueFor } from "../queue/shards.ts";
import type { OutboxMessage } from "./outbox-messages.ts";
import { processStub } from "./process-client.ts";
import type { Answer } from "./process-rpc.ts";
import type { PendingMessage, ProcessStore } from "./process-store.ts";

export interface DrainContext {
	env: Env;
	store: ProcessStore;
	loaded():
		| {
				workflow: CompiledWorkflow;
				state: ProcessState;
				revision: number;
				startedBy: string | null;
		  }
		| undefined;
	/** Runs a command on this same process (commit only; the drain loop sends what it produces). */
	execute(command: Command, key?: string): Promise<Answer>;
	/** Test-only crash points. */
	fault(point: string): void;
	/** Test-only: whether the next pass through `point` loses what it sends (T13). */
	lose(point: string): boolean;
	/** Write the index now even if its rows could wait (the alarm's drain). */
	flushIndex: boolean;
}

/**
 * How long the index rows of a busy process may wait to be merged into one D1 write. The alarm,
 * armed as the outbox's safety net, fires within about this long and writes them.
 */
export const INDEX_LAG_MS = 1_000;
/** More waiting task rows than this are written at once. */
const INDEX_MAX_WAITING = 50;

type Of<K extends OutboxMessage["kind"]> = Extract<OutboxMessage, { kind: K }>;

/**
 * Drains until the outbox is empty, but for index rows that may still wait (`indexDue`); throws on
 * the first failed send (the alarm retries).
 */
export async function drainOutbox(ctx: DrainContext): Promise<void> {
	for (;;) {
		const batch = ctx.store.pending(100);
		const index = batch.filter(isKind("index"));
		const flush = index.length > 0 && (ctx.flushIndex || indexDue(ctx, index));
		if (batch.length === index.length && !flush) return;
		await sendQueueMessages(ctx, batch.filter(isKind("queue")));
		if (flush) await sendIndex(ctx, index);
		for (const row of batch) {
			const m = row.message;
			if (m.kind === "queue" || m.kind === "index") continue;
			await sendOne(ctx, m);
			acknowledge(ctx, [row.id]);
		}
	}
}

/**
 * Index rows are written at once, except while a running process is in the middle of automated
 * work (every waiting row is `lazy`): then they wait up to INDEX_LAG_MS, so that the claims and
 * completions of a burst of automated steps cost one D1 write instead of one each. A process that
 * waits for a person, a timer or an event, raises an incident or ends is indexed at once.
 */
function indexDue(ctx: DrainContext, rows: PendingMessage[]): boolean {
	// The waiting rows are usually one, which later steps join (ProcessStore.enqueue).
	const waiting = new Set(
		rows.flatMap((r) => (r.message.kind === "index" ? r.message.taskIds : [])),
	);
	if (waiting.size >= INDEX_MAX_WAITING) return true;
	if (ctx.loaded()?.state.status !== "STARTED") return true;
	const oldest = rows[0]?.createdAt ?? 0;
	return (
		rows.some((r) => r.message.kind !== "index" || r.message.lazy !== true) ||
		Date.now() - oldest >= INDEX_LAG_MS
	);
}

function isKind<K extends OutboxMessage["kind"]>(kind: K) {
	return (row: PendingMessage): row is PendingMessage & { message: Of<K> } =>
		row.message.kind === kind;
}

function acknowledge(ctx: DrainContext, ids: number[]): void {
	if (ids.length > 0) ctx.store.acknowledge(ids);
}

async function sendQueueMessages(
	ctx: DrainContext,
	rows: (PendingMessage & { message: Of<"queue"> })[],
): Promise<void> {
	if (rows.length === 0) return;
	ctx.fault("before-send");
	// Test-only: the queue accepts the batch and loses it, as a crash-killed local queue does.
	if (ctx.lose("lose-queue-message")) {
		acknowledge(
			ctx,
			rows.map((r) => r.id),
		);
		return;
	}
	// A process's jobs all go to its one shard (shards.ts), so they keep their order.
	await taskQueueFor(ctx.env, rows[0]?.message.body.processId ?? "").sendBatch(
		rows.map((r) => ({ body: r.message.body, delaySeconds: r.message.delaySeconds })),
	);
	ctx.fault("mid-outbox");
	acknowledge(
		ctx,
		rows.map((r) => r.id),
	);
}

/** All pending index rows collapse into one write of the current state. */
async function sendIndex(
	ctx: DrainContext,
	rows: (PendingMessage & { message: Of<"index"> })[],
): Promise<void> {
	if (rows.length === 0) return;
	const ids = rows.map((r) => r.id);
	const loaded = ctx.loaded();
	if (!loaded) return acknowledge(ctx, ids);
	const { workflow, state, revision, startedBy } = loaded;
	const changed = new Set(rows.flatMap((r) => r.message.taskIds));
	const taskRows = state.tasks
		.filter((t) => changed.has(t.id))
		.map((t) => taskRow(workflow, state, t, revision));
	// A step that commits while the write is under way starts an index row of its own.
	const process = processRow(workflow, state, revision, startedBy);
	await ctx.store.sendingRows(ids, () => writeIndex(ctx.env.DB, { process, tasks: taskRows }));
	// Notifications (docs/notifications.md): the rows that now wait for a person, once indexed.
	await noteTaskChanges(ctx.env, { process, tasks: taskRows });
	// The live inbox (docs/architecture.md): the people whose work changed are told.
	await announceTaskChanges(ctx.env, taskRows);
	acknowledge(ctx, ids);
}

async function sendOne(ctx: DrainContext, m: OutboxMessage): Promise<void> {
	const self = ctx.loaded()?.state.id ?? "";
	switch (m.kind) {
		case "assign": {
			const state = ctx.loaded()?.state;
			const own: Record<string, number> = {};
			for (const t of state?.tasks ?? []) {
				if (t.assignee && isTaskActive(t)) own[t.assignee] = (own[t.assignee] ?? 0) + 1;
			}
			const assignee = await pickAssigneeForRole(ctx.env.DB, m.role, {
				processId: state?.id ?? "",
				counts: own,
			});
			await ctx.execute({ type: "AssignTask", taskId: m.taskId, assignee }, `assign:${m.taskId}`);
			if (assignee === null) {
				await ctx.execute(
					{
						type: "RecordIncident",
						taskId: m.taskId,
						kind: "no_assignee",
						message: `Nobody is in the role "${m.role}", so nobody can be assigned this task.`,
					},
					`no-assignee:${m.taskId}`,
				);
			}
			return;
		}
		case "start-child": {
			const child = processStub(ctx.env, m.childProcessId);
			const definition = await findPublishedVersion(ctx.env.DB, m.workflow, m.version);
			if (!definition) {
				await ctx.execute(
					{
						type: "EndSubprocess",
						taskId: m.taskId,
						status: "FAILURE",
						results: [{ error: `workflow "${m.workflow}" is not published` }],
					},
					`child-ended:${m.childProcessId}`,
				);
				return;
			}
			const started = await child.createAndStart({
				processId: m.childProcessId,
				definition,
				params: m.params,
				priority: m.priority,
				parent: { processId: self, taskId: m.taskId },
				startedBy: ctx.loaded()?.startedBy ?? null,
			});
			if (!started.ok && started.error.code !== "already_started") {
				await ctx.execute(
					{
						type: "EndSubprocess",
						taskId: m.taskId,
						status: "FAILURE",
						results: [{ error: started.error.message }],
					},
					`child-ended:${m.childProcessId}`,
				);
			}
			return;
		}
		case "stop-child": {
			// not_running means the child already ended; its own notification reaches us.
			await processStub(ctx.env, m.childProcessId).execute(
				{ type: "StopProcess" },
				"stop-by-parent",
			);
			return;
		}
		case "notify-parent": {
			await processStub(ctx.env, m.parent.processId).execute(
				{
					type: "EndSubprocess",
					taskId: m.parent.taskId,
					status: m.status,
					results: m.results,
					...(m.error ? { error: m.error } : {}),
				},
				`child-ended:${self}`,
			);
			return;
		}
		case "subscribe": {
			const state = ctx.loaded()?.state;
			const task = state?.tasks.find((t) => t.id === m.taskId);
			// A task that already stopped waiting (its Unsubscribe follows, if any) needs no place.
			if (!state || task?.status !== "STARTED") return;
			await messageBox(ctx.env, m.name, m.correlationKey).subscribe({
				name: m.name,
				correlationKey: m.correlationKey,
				processId: self,
				taskId: m.taskId,
				workflowKey: state.workflow.key,
				since: task.startedAt ?? task.createdAt,
			});
			return;
		}
		case "unsubscribe":
			await messageBox(ctx.env, m.name, m.correlationKey).unsubscribe(self, m.taskId);
			return;
		case "publish": {
			await publishMessage(ctx.env, {
				id: m.messageId,
				name: m.name,
				correlationKey: m.correlationKey,
				payload: m.payload,
				...(m.ttlSeconds === undefined ? {} : { ttlSeconds: m.ttlSeconds }),
				startedBy: ctx.loaded()?.startedBy ?? null,
			});
			return;
		}
		case "offer": {
			const task = ctx.loaded()?.state.tasks.find((t) => t.id === m.taskId);
			// An attempt already taken, superseded or ended needs no place (a later row offers the next).
			const offered = task && isTaskActive(task) && task.status !== "STARTED";
			if (!offered || task.attempt !== m.attempt) return;
			await taskBoard(ctx.env, m.taskType).offer(m.taskType, {
				processId: self,
				taskId: m.taskId,
				attempt: m.attempt,
				priority: m.priority,
				since: task.createdAt,
				availableAt: m.availableAt,
			});
			return;
		}
		case "withdraw":
			await taskBoard(ctx.env, m.taskType).withdraw(m.taskId);
			return;
		case "queue":
		case "index":
			return;
	}
}
