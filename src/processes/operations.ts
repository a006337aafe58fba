// The operations an administrator runs on a running process (O1 suspend and resume, O3 values
// corrected): each goes through actAsAdmin's checks, is one keyed engine command (the engine
// records the act in the process's history), and, once committed, is recorded in the audit log.
import type { CurrentUser } from "../auth/current-user.ts";
import { toActor } from "../auth/current-user.ts";
import { recordAudit } from "../db/audit.ts";
import type { ProcessView } from "../durable/process-view.ts";
import { actAsAdmin } from "./acts.ts";

/** An act's key: the caller's (API Idempotency-Key), scoped to the user, or one per act. */
function keyOf(act: string, user: CurrentUser, processId: string, key: string | undefined) {
	return key ? `${act}:${user.id}:${key}` : `${act}:${processId}:${crypto.randomUUID()}`;
}

/** O1: suspends a running process; the engine refuses a suspended or finished one. */
export async function suspendProcess(
	env: Env,
	user: CurrentUser,
	processId: string,
	reason: string | undefined,
	key?: string,
): Promise<ProcessView> {
	const command = {
		type: "SuspendProcess" as const,
		actor: toActor(user),
		...(reason ? { reason } : {}),
	};
	const view = await actAsAdmin(env, user, processId, [
		{ command, key: keyOf("suspend", user, processId, key) },
	]);
	await recordAudit(env.DB, {
		actor: user.id,
		action: "process.suspended",
		target: processId,
		details: reason ? { reason } : null,
	});
	return view;
}

/** O1: resumes a suspended process; what came in meanwhile runs now, in order. */
export async function resumeProcess(
	env: Env,
	user: CurrentUser,
	processId: string,
	key?: string,
): Promise<ProcessView> {
	const command = { type: "ResumeProcess" as const, actor: toActor(user) };
	const view = await actAsAdmin(env, user, processId, [
		{ command, key: keyOf("resume", user, processId, key) },
	]);
	await recordAudit(env.DB, { actor: user.id, action: "process.resumed", target: processId });
	return view;
}

export interface Correction {
	/** The failed task (or one with an open incident) whose values change; none: the params. */
	taskId?: string;
	values: Record<string, unknown>;
}

/**
 * O3: corrects the process params or a failed task's values before a retry. The engine checks
 * them (T2, T10) and records each value's old and new in the history; the audit log names the
 * fields, not their values, which the history keeps where the process's viewers may see them.
 */
export async function correctValues(
	env: Env,
	user: CurrentUser,
	processId: string,
	correction: Correction,
	key?: string,
): Promise<ProcessView> {
	const command = {
		type: "CorrectValues" as const,
		values: correction.values,
		actor: toActor(user),
		...(correction.taskId ? { taskId: correction.taskId } : {}),
	};
	const view = await actAsAdmin(env, user, processId, [
		{ command, key: keyOf("correct", user, processId, key) },
	]);
	await recordAudit(env.DB, {
		actor: user.id,
		action: "process.values_corrected",
		target: processId,
		details: {
			...(correction.taskId ? { taskId: correction.taskId } : {}),
			fields: Object.keys(correction.values),
		},
	});
	return view;
}
