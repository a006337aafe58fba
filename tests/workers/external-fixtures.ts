// Helpers of the external task tests (K1, K2): a workflow whose first task is of its own external
// type, workers with tokens scoped to task types, their calls, a board's contents, and a lock moved
// into the past the way the timer tests move timers (the clock cannot be moved inside workerd).
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createApiToken } from "../../src/auth/credential-store.ts";
import type { WorkflowDefinition } from "../../src/engine/index.ts";
import { taskBoard } from "../../src/external/board-stub.ts";
import type { LockedTask } from "../../src/external/external-task.ts";
import { type ApiUser, json } from "./api-fixtures.ts";
import { makeUser } from "./auth-fixtures.ts";
import { publish, start, workflow } from "./process-fixtures.ts";

let counter = 0;

/** A task type name no other test of the file uses (boards are shared by a file's tests). */
export function uniqueType(base = "charge-card"): string {
	counter += 1;
	return `${base}-${counter}`;
}

/**
 * `charge` (the workflow's own external type) → `done`: the smallest process that waits for a
 * worker. `extra` adds nodes and transitions (boundaries, failure routes).
 */
export async function publishCharging(
	taskType: string,
	options: {
		retry?: { limit?: number; backoffSeconds?: number };
		nodes?: WorkflowDefinition["nodes"];
		transitions?: WorkflowDefinition["transitions"];
	} = {},
): Promise<string> {
	const key = `wf-${taskType}`;
	await publish(
		workflow(
			key,
			[
				{ key: "charge", name: "Charge the card", task: taskType, start: true },
				{ key: "done", name: "Done", task: "dummy", end: true, inline: true },
				...(options.nodes ?? []),
			],
			[{ from: "charge", to: "done" }, ...(options.transitions ?? [])],
			{
				startForm: { amount: { label: "Amount", type: "number", default: 12 } },
				externalTasks: {
					[taskType]: {
						title: "Charge a card",
						params: { amount: { label: "Amount", type: "number", required: true } },
						retry: { limit: 0, ...(options.retry ?? {}) },
					},
				},
			},
		),
	);
	return key;
}

/** `n` processes of the workflow, started one after another; their ids. */
export async function startMany(key: string, n: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < n; i++) ids.push((await start(key, { amount: i + 1 })).processId);
	return ids;
}

export interface Worker extends ApiUser {
	workerId: string;
}

/** An admin's token with the external-tasks scope, serving `types` only. */
export async function workerFor(
	types: string[],
	options: { workerId?: string; isAdmin?: boolean } = {},
): Promise<Worker> {
	const user = await makeUser({ isAdmin: options.isAdmin ?? true });
	const { token } = await createApiToken(env.DB, {
		userId: user.id,
		name: "worker",
		scopes: ["external-tasks"],
		externalTaskTypes: types,
		expiresAt: null,
		now: Date.now(),
	});
	counter += 1;
	return { id: user.id, token, workerId: options.workerId ?? `worker-${counter}` };
}

export async function fetchTasks(
	w: Worker,
	body: { types: string[]; maxTasks?: number; lockMs?: number; waitMs?: number },
): Promise<{ status: number; tasks: LockedTask[]; ignoredTypes?: string[] }> {
	const res = await json<{ tasks: LockedTask[]; ignoredTypes?: string[] }>(
		w,
		"/api/v1/fetch-and-lock",
		{ body: { workerId: w.workerId, ...body } },
	);
	return { status: res.status, ...res.body };
}

export interface Reported {
	taskId: string;
	attempt: number;
	stale: boolean;
	reason?: string;
	duplicate?: boolean;
	status: string;
	currentAttempt: number;
	progress: number;
	lockedUntil?: number;
}

/** POST /api/v1/external-tasks/{id}/{what} as the worker. */
export async function reportAs(
	w: Worker,
	taskId: string,
	what: "complete" | "fail" | "extend-lock" | "progress",
	body: Record<string, unknown>,
) {
	return json<Reported>(w, `/api/v1/external-tasks/${encodeURIComponent(taskId)}/${what}`, {
		body: { workerId: w.workerId, ...body },
	});
}

/** Waits until the type's board holds `n` offers (the outbox sends them after each commit). */
export async function offersOn(taskType: string, n: number, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const contents = await taskBoard(env, taskType).contents();
		if (contents.offers.length === n) return contents.offers;
		if (Date.now() > deadline) {
			throw new Error(`${contents.offers.length} offers on ${taskType}, expected ${n}`);
		}
		await new Promise((r) => setTimeout(r, 20));
	}
}

/**
 * Moves the locks of the process's external tasks into the past, as if they had run out, without
 * running the alarm: the next report or alarm finds them lapsed.
 */
export async function makeLocksLapse(processId: string): Promise<void> {
	const stub = env.PROCESS.getByName(processId);
	await runInDurableObject(stub, async (_instance, state) => {
		const row = state.storage.sql
			.exec<{ state: string }>("SELECT state FROM process WHERE id = 1")
			.one();
		const s = JSON.parse(row.state) as { tasks: { leaseUntil?: number }[] };
		for (const t of s.tasks) if (t.leaseUntil !== undefined) t.leaseUntil = Date.now() - 1;
		state.storage.sql.exec("UPDATE process SET state = ? WHERE id = 1", JSON.stringify(s));
	});
	// Drop the object's memory so it reads the edited state.
	await evictDurableObject(stub);
}

/** The ProcessObject's alarm, run now (it finds the lapsed locks, K2). */
export async function runProcessAlarm(processId: string): Promise<void> {
	expect(await runDurableObjectAlarm(env.PROCESS.getByName(processId))).toBe(true);
}
