// How the Worker talks to processes: start one (pinned to a published version, idempotent on a
// key, S3), send it commands, read it. Answers that carry an engine error are thrown as EngineError.

import { findPublishedHead, findPublishedVersion } from "../db/workflows.ts";
import {
	type Command,
	EngineError,
	fromErrorData,
	type WorkflowDefinition,
} from "../engine/index.ts";
import type { Answer, ProcessRpc } from "./process-rpc.ts";

export interface StartProcessInput {
	workflowKey: string;
	version?: number;
	params?: Record<string, unknown>;
	priority?: number | null;
	name?: string;
	startedBy?: string | null;
	/**
	 * A webhook delivery id or an API Idempotency-Key, scoped by its source: the same key always
	 * names the same process, so a repeated start returns the first process (S3).
	 */
	idempotencyKey?: string;
}

export interface StartedProcess {
	processId: string;
	version: number;
}

export type { ProcessRpc } from "./process-rpc.ts";

export function processStub(env: Env, processId: string): ProcessRpc {
	return env.PROCESS.getByName(processId) as unknown as ProcessRpc;
}

export async function processIdFor(idempotencyKey: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(idempotencyKey));
	const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
	return `p-${hex.slice(0, 32)}`;
}

export function newProcessId(): string {
	return `p-${crypto.randomUUID().replaceAll("-", "")}`;
}

/**
 * The definitions processes were started on, per isolate. A published version never changes (G9),
 * so a start reads only which version is the latest and, the first time, its definition: most of
 * a start's D1 read was the definition's JSON. Keyed by publication time too, so a database reset
 * under a living isolate (as tests do) cannot serve another definition of the same version. Only
 * ever sent to a ProcessObject, which receives a copy.
 */
const startDefinitions = new Map<string, WorkflowDefinition>();
const START_DEFINITIONS_MAX = 64;

async function definitionToStart(
	db: D1Database,
	key: string,
	version?: number,
): Promise<WorkflowDefinition | undefined> {
	const head = await findPublishedHead(db, key, version);
	if (!head) return undefined;
	const cacheKey = JSON.stringify([key, head.version, head.publishedAt]);
	const known = startDefinitions.get(cacheKey);
	if (known) return known;
	const definition = await findPublishedVersion(db, key, head.version);
	if (!definition) return undefined;
	if (startDefinitions.size >= START_DEFINITIONS_MAX) {
		const oldest = startDefinitions.keys().next().value;
		if (oldest !== undefined) startDefinitions.delete(oldest);
	}
	startDefinitions.set(cacheKey, definition);
	return definition;
}

/** S1 + S2: creates the process on the latest (or given) published version and starts it. */
export async function startProcess(env: Env, input: StartProcessInput): Promise<StartedProcess> {
	const definition = await definitionToStart(env.DB, input.workflowKey, input.version);
	if (!definition?.version) {
		throw new EngineError("not_found", `No published workflow "${input.workflowKey}".`);
	}
	const processId = input.idempotencyKey
		? await processIdFor(input.idempotencyKey)
		: newProcessId();
	const stub = processStub(env, processId);
	const started = await stub.createAndStart({
		processId,
		definition,
		params: input.params ?? {},
		priority: input.priority ?? null,
		...(input.name ? { name: input.name } : {}),
		startedBy: input.startedBy ?? null,
	});
	if (!started.ok) {
		// The key names a process that exists on another version: it is that process (S3).
		if (started.error.code === "conflict" && input.idempotencyKey) {
			const view = await stub.view();
			if (view) return { processId, version: view.state.workflow.version };
		}
		throw fromErrorData(started.error);
	}
	return { processId, version: definition.version };
}

/** Sends a command and throws its engine error, if any. */
export async function runCommand(env: Env, processId: string, command: Command, key?: string) {
	return unwrap(await processStub(env, processId).execute(command, key));
}

export function unwrap<T>(answer: Answer<T>): Answer<T> & { ok: true } {
	if (!answer.ok) throw fromErrorData(answer.error);
	return answer;
}
