// Publishing a message (N2, N3), the same for every publisher: the API, a webhook event trigger
// and a `send` task's outbox. The workflows that start on its name each get a process (once per
// message id, S3), then its box delivers it to the task that has waited longest, or keeps it.
// Every step may be repeated with the same message: the caller retries until it succeeds.
import { messageStartDefinitions } from "../db/message-starts.ts";
import { processIdFor, processStub } from "../durable/process-client.ts";
import type { WorkflowDefinition } from "../engine/index.ts";
import { type BoxOutcome, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, messageBox } from "./message.ts";

export interface Publication {
	/** Unique per publisher; the door that takes it scopes it (`api:`, `hook:<trigger>:`). */
	id: string;
	name: string;
	correlationKey: string;
	payload: unknown;
	/** How long it is kept when nobody waits; the default, and at most MAX_TTL_SECONDS. */
	ttlSeconds?: number;
	/** Only this workflow's tasks and message starts may take it (a webhook trigger's own). */
	workflowKey?: string;
	/** Who the processes it starts are started by (S4), as a subprocess's parent would be. */
	startedBy: string | null;
}

export interface Published {
	box: BoxOutcome;
	/** N3: the processes it started (or had started, when published again). */
	started: { workflowKey: string; processId: string }[];
	/** Message starts the engine refused (e.g. a start form the message cannot fill, T10). */
	refused: { workflowKey: string; message: string }[];
}

export async function publishMessage(env: Env, p: Publication): Promise<Published> {
	const started: Published["started"] = [];
	const refused: Published["refused"] = [];
	for (const definition of await messageStartDefinitions(env.DB, p.name, p.workflowKey)) {
		const outcome = await startOnMessage(env, definition, p);
		if (outcome.ok) started.push({ workflowKey: definition.key, processId: outcome.processId });
		else refused.push({ workflowKey: definition.key, message: outcome.message });
	}
	const box = await messageBox(env, p.name, p.correlationKey).publish({
		id: p.id,
		name: p.name,
		correlationKey: p.correlationKey,
		payload: p.payload ?? null,
		ttlSeconds: Math.min(p.ttlSeconds ?? DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS),
		...(p.workflowKey === undefined ? {} : { workflowKey: p.workflowKey }),
		// A message is kept only when nothing took it: a process it started did.
		keep: started.length === 0,
	});
	return { box, started, refused };
}

/**
 * S4 + S3: a process of the workflow, started with the message, whose id is derived from the
 * workflow and the message id: publishing the message again finds the same process.
 */
async function startOnMessage(
	env: Env,
	definition: WorkflowDefinition,
	p: Publication,
): Promise<{ ok: true; processId: string } | { ok: false; message: string }> {
	const processId = await processIdFor(`message:${definition.key}:${p.id}`);
	const answer = await processStub(env, processId).createAndStart({
		processId,
		definition,
		startedBy: p.startedBy,
		startMessage: { id: p.id, name: p.name, payload: p.payload ?? null },
	});
	// `conflict`: the process exists on an older version (a version was published in between).
	if (answer.ok || answer.error.code === "conflict" || answer.error.code === "already_started") {
		return { ok: true, processId };
	}
	console.error(
		JSON.stringify({
			level: "warn",
			where: "message-start",
			workflow: definition.key,
			messageId: p.id,
			error: answer.error.message,
		}),
	);
	return { ok: false, message: answer.error.message };
}
