// What the Worker and other objects may ask of a ProcessObject, and the shape of its answers. Kept
// apart from the class so that its callers (the client, the outbox drain, the queue consumer) do
// not import the Durable Object itself; the class `implements` this interface, so the two agree.
import type {
	Actor,
	Command,
	EngineErrorData,
	MigrationPlan,
	NodeMapping,
	StartMessage,
	WorkflowDefinition,
} from "../engine/index.ts";
import type { StoredEvent } from "./process-store.ts";
import type { ProcessView } from "./process-view.ts";

export interface CreateProcessInput {
	processId: string;
	/** The published definition the process is pinned to (G9, D3); `version` must be set. */
	definition: WorkflowDefinition;
	params?: Record<string, unknown>;
	priority?: number | null;
	name?: string;
	parent?: { processId: string; taskId: string };
	startedBy?: string | null;
	stepBudget?: number;
	/** S4: the message that starts it; its start nodes that wait for that name take it at once. */
	startMessage?: StartMessage;
}

export interface MigrateInput {
	/** The published version to migrate to, of the process's own workflow. */
	definition: WorkflowDefinition;
	mapping: NodeMapping;
	/** Plan only: nothing is written, and the plan is the one applying would follow (O2). */
	dryRun: boolean;
	actor: Actor;
}

/** O2: the plan, and whether the process moved (never when a dry run or when it cannot). */
export type MigrateAnswer =
	| { ok: true; migrated: boolean; plan: MigrationPlan; revision: number }
	| { ok: false; error: EngineErrorData };

/** Every command's answer; errors are data because classes do not survive RPC. */
export type Answer<T = unknown> =
	| { ok: true; revision: number; reply?: T }
	| { ok: false; error: EngineErrorData };

/** What `removeStorage` did: removed a finished process, found nothing, or refused and why. */
export type Removal =
	| { ok: true; existed: boolean }
	| { ok: false; error: { code: "not_running" | "conflict"; message: string } };

/** The most commands `executeBatch` takes at once (a consumer batch holds at most 100 messages). */
export const MAX_BATCH = 100;

/**
 * The ProcessObject's RPC methods. Its answers hold JSON values typed `unknown`, which the RPC
 * stub typings would reduce to `never`; the values are structured-clonable, so these signatures
 * are the honest ones.
 */
export interface ProcessRpc {
	/** S1 + S2 in one round trip; the start is keyed, so a repeated call answers as the first. */
	createAndStart(input: CreateProcessInput): Promise<Answer>;
	/** One engine command; with a `key`, a repeated command returns the first answer (S3). */
	execute(command: Command, key?: string): Promise<Answer>;
	/** One engine command, answered with the process as it stands after the commit (an act's page). */
	act(command: Command, key?: string): Promise<{ answer: Answer; view: ProcessView | null }>;
	/** Several commands, each with its own transaction, key and answer, in one round trip. */
	executeBatch(commands: { command: Command; key?: string }[]): Promise<Answer[]>;
	/** O2: plans, and unless a dry run applies, a migration to another version in one transaction. */
	migrate(input: MigrateInput): Promise<MigrateAnswer>;
	view(): Promise<ProcessView | null>;
	history(afterSeq?: number, limit?: number): Promise<StoredEvent[]>;
	/** Whether messages are still waiting to be sent (tests and the consistency checker). */
	outboxSize(): Promise<number>;
	/**
	 * Retention: deletes all of the object's storage and its alarm, refusing while the process runs
	 * or its outbox still holds messages (the index must not be written after it is removed).
	 */
	removeStorage(): Promise<Removal>;
	/** Test-only crash points (G6); refused unless FAULT_INJECTION is on. */
	armFault(point: string, times?: number): Promise<void>;
}
