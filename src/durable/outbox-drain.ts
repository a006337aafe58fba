// Sends what the outbox holds: queue messages in batches, the D1 index in one batch, and the calls
// to other processes (children, parent) with idempotency keys. A row is deleted only after its send
// succeeded, so a crash in between sends it again; every receiver tolerates a duplicate (G3, S3).

import { pickAssigneeForRole } from "../db/people.ts";
import { findPublishedVersion } from "../db/workflows.ts";
import type { Command, CompiledWorkflow, ProcessState } from "../engine/index.ts";
import { processRow, taskRow, writeIndex } from "./index-projection.ts";
import type { OutboxMessage } from "./outbox-messages.ts";
import { processStub } from "./process-client.ts";
import type { Answer } from "./process-object.ts";
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
}

type Of<K extends OutboxMessage["kind"]> = Extract<OutboxMessage, { kind: K }>;

/** Drains until the outbox is empty; throws on the first failed send (the alarm retries). */
export async function drainOutbox(ctx: DrainContext): Promise<void> {
	for (;;) {
		const batch = ctx.store.pending(100);
		if (batch.length === 0) return;
		await sendQueueMessages(ctx, batch.filter(isKind("queue")));
		await sendIndex(ctx, batch.filter(isKind("index")));
		for (const row of batch) {
			const m = row.message;
			if (m.kind === "queue" || m.kind === "index") continue;
			await sendOne(ctx, m);
			acknowledge(ctx, [row.id]);
		}
	}
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
	await ctx.env.TASKS.sendBatch(
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
	const loaded = ctx.loaded();
	if (!loaded)
		return acknowledge(
			ctx,
			rows.map((r) => r.id),
		);
	const { workflow, state, revision, startedBy } = loaded;
	const ids = new Set(rows.flatMap((r) => r.message.taskIds));
	const taskRows = state.tasks
		.filter((t) => ids.has(t.id))
		.map((t) => taskRow(workflow, state, t, revision));
	await writeIndex(ctx.env.DB, {
		process: processRow(workflow, state, revision, startedBy),
		tasks: taskRows,
	});
	acknowledge(
		ctx,
		rows.map((r) => r.id),
	);
}

async function sendOne(ctx: DrainContext, m: OutboxMessage): Promise<void> {
	const self = ctx.loaded()?.state.id ?? "";
	switch (m.kind) {
		case "assign": {
			const assignee = await pickAssigneeForRole(ctx.env.DB, m.role);
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
			const created = await child.create({
				processId: m.childProcessId,
				definition,
				params: m.params,
				priority: m.priority,
				parent: { processId: self, taskId: m.taskId },
				startedBy: ctx.loaded()?.startedBy ?? null,
			});
			const started = created.ok ? await child.execute({ type: "StartProcess" }, "start") : created;
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
				{ type: "EndSubprocess", taskId: m.parent.taskId, status: m.status, results: m.results },
				`child-ended:${self}`,
			);
			return;
		}
		case "queue":
		case "index":
			return;
	}
}
