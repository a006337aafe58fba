// Shared test helpers for the workerd tests: publish definitions, start processes, wait for the
// queue consumer to carry them along, and compare the D1 index with the ProcessObjects.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { publishWorkflow } from "../../src/db/workflows.ts";
import { processStub, startProcess } from "../../src/durable/process-client.ts";
import type { ProcessView } from "../../src/durable/process-object.ts";
import type { WorkflowDefinition } from "../../src/engine/index.ts";

export async function publish(def: WorkflowDefinition) {
	return publishWorkflow(env.DB, def, { now: Date.now(), publishedBy: "test" });
}

export async function start(
	workflowKey: string,
	params: Record<string, unknown> = {},
	key?: string,
) {
	return startProcess(env, {
		workflowKey,
		params,
		...(key ? { idempotencyKey: key } : {}),
	});
}

export async function view(processId: string): Promise<ProcessView> {
	const v = await processStub(env, processId).view();
	if (!v) throw new Error(`no process ${processId}`);
	return v;
}

/**
 * Polls the process until `done` holds (the local queue delivers on its own schedule). A process
 * another one starts (a subprocess) may not exist yet: its parent's answer comes after the parent's
 * commit, and the start is sent after it.
 */
export async function waitFor(
	processId: string,
	done: (v: ProcessView) => boolean,
	timeoutMs = 15_000,
): Promise<ProcessView> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await processStub(env, processId).view();
		if (v && done(v)) return v;
		if (Date.now() > deadline) {
			throw new Error(
				v
					? `timed out; status ${v.state.status}, tasks ${v.state.tasks.map((t) => `${t.node}:${t.status}`).join(", ")}`
					: `timed out; no process ${processId}`,
			);
		}
		await new Promise((r) => setTimeout(r, 25));
	}
}

export const finished = (v: ProcessView) =>
	["SUCCESS", "FAILURE", "REVOKED"].includes(v.state.status);

/** The node keys of the tasks, in creation order. */
export const trace = (v: ProcessView) => v.state.tasks.map((t) => t.node);

/** The D1 index agrees with the ProcessObject: one process row and one row per task, same facts. */
export async function expectIndexMatches(processId: string): Promise<void> {
	const stub = processStub(env, processId);
	const deadline = Date.now() + 5_000;
	while ((await stub.outboxSize()) > 0 && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 20));
	}
	const v = await view(processId);
	const p = await env.DB.prepare("SELECT * FROM processes WHERE id = ?")
		.bind(processId)
		.first<Record<string, unknown>>();
	expect(p, "process row").not.toBeNull();
	expect({ status: p?.status, revision: p?.revision, active: p?.active_tasks }).toEqual({
		status: v.state.status,
		revision: v.revision,
		active: v.state.tasks.filter((t) => ["PENDING", "STARTED", "RETRY"].includes(t.status)).length,
	});
	const { results } = await env.DB.prepare(
		"SELECT id, node, status, attempt, assignee FROM tasks WHERE process_id = ? ORDER BY id",
	)
		.bind(processId)
		.all<{ id: string; node: string; status: string; attempt: number; assignee: string | null }>();
	const expected = v.state.tasks
		.map((t) => ({
			id: t.id,
			node: t.node,
			status: t.status,
			attempt: t.attempt,
			assignee: t.assignee ?? null,
		}))
		.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	expect(results).toEqual(expected);
}

export function workflow(
	key: string,
	nodes: WorkflowDefinition["nodes"],
	transitions: WorkflowDefinition["transitions"],
	extra: Partial<WorkflowDefinition> = {},
): WorkflowDefinition {
	return { key, name: key, nodes, transitions, ...extra };
}

/** A start node followed by a dummy end: the smallest process that waits on one task. */
export function singleStep(
	key: string,
	node: { key: string; task: string; params?: Record<string, unknown> },
): WorkflowDefinition {
	return workflow(
		key,
		[
			{ ...node, start: true },
			{ key: "end", task: "dummy", end: true },
		],
		[{ from: node.key, to: "end" }],
	);
}
