// The ProcessObject's own SQLite tables: the pinned definition and state, the history, the
// idempotency ledger and the outbox. Synchronous calls only, so callers can wrap them in one
// `transactionSync` (https://developers.cloudflare.com/durable-objects/api/sqlite-storage-api/).
import type { HistoryEvent, ProcessState, WorkflowDefinition } from "../engine/index.ts";
import type { OutboxMessage } from "./outbox-messages.ts";
import { PROCESS_SCHEMA } from "./process-schema.ts";
import { migrateSqlite } from "./sqlite-migrations.ts";

export interface StoredProcess {
	definition: WorkflowDefinition;
	state: ProcessState;
	revision: number;
	startedBy: string | null;
}

export interface StoredEvent extends HistoryEvent {
	seq: number;
	revision: number;
}

export interface PendingMessage {
	id: number;
	message: OutboxMessage;
	/** When the step that wrote it committed (epoch ms). */
	createdAt: number;
}

export class ProcessStore {
	private readonly sql: SqlStorage;
	/**
	 * The outbox table as this object knows it, in id order: read once per instance, then kept in
	 * step with every insert and delete, so a step does not re-read what it just wrote. A
	 * transaction that rolls back must call `forgetOutbox()` (its inserts are gone).
	 */
	private outbox: PendingMessage[] | undefined;
	private readonly sending = new Set<number>();
	/** Rows sent and acknowledged, whose DELETE rides along with the next write (`flushSent`). */
	private sent: number[] = [];

	constructor(sql: SqlStorage) {
		this.sql = sql;
		migrateSqlite(sql, PROCESS_SCHEMA);
	}

	load(): StoredProcess | undefined {
		const row = this.sql
			.exec<{ definition: string; state: string; revision: number; started_by: string | null }>(
				"SELECT definition, state, revision, started_by FROM process WHERE id = 1",
			)
			.toArray()[0];
		if (!row) return undefined;
		return {
			definition: JSON.parse(row.definition) as WorkflowDefinition,
			state: JSON.parse(row.state) as ProcessState,
			revision: row.revision,
			startedBy: row.started_by,
		};
	}

	insert(definition: WorkflowDefinition, state: ProcessState, startedBy: string | null): void {
		this.sql.exec(
			"INSERT INTO process (id, definition, state, revision, started_by) VALUES (1, ?, ?, 1, ?)",
			JSON.stringify(definition),
			JSON.stringify(state),
			startedBy,
		);
	}

	saveState(state: ProcessState, revision: number): void {
		this.sql.exec(
			"UPDATE process SET state = ?, revision = ? WHERE id = 1",
			JSON.stringify(state),
			revision,
		);
	}

	/** O2: the version the process is pinned to from now on, written with its migrated state. */
	saveDefinition(definition: WorkflowDefinition): void {
		this.sql.exec("UPDATE process SET definition = ? WHERE id = 1", JSON.stringify(definition));
	}

	/** A step's events in as few statements as the 100 bound parameters allow (7 per event). */
	appendEvents(events: HistoryEvent[], revision: number): void {
		for (let i = 0; i < events.length; i += 14) {
			const chunk = events.slice(i, i + 14);
			this.sql.exec(
				`INSERT INTO events (revision, at, type, task_id, node, actor, data) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
				...chunk.flatMap((e) => [
					revision,
					e.at,
					e.type,
					e.taskId ?? null,
					e.node ?? null,
					e.actor ?? null,
					e.data === undefined ? null : JSON.stringify(e.data),
				]),
			);
		}
	}

	events(afterSeq = 0, limit = 500): StoredEvent[] {
		return this.sql
			.exec<{
				seq: number;
				revision: number;
				at: number;
				type: string;
				task_id: string | null;
				node: string | null;
				actor: string | null;
				data: string | null;
			}>(
				"SELECT seq, revision, at, type, task_id, node, actor, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
				afterSeq,
				limit,
			)
			.toArray()
			.map((r) => {
				const event: StoredEvent = {
					seq: r.seq,
					revision: r.revision,
					at: r.at,
					type: r.type as HistoryEvent["type"],
				};
				if (r.task_id !== null) event.taskId = r.task_id;
				if (r.node !== null) event.node = r.node;
				if (r.actor !== null) event.actor = r.actor;
				if (r.data !== null) event.data = JSON.parse(r.data) as Record<string, unknown>;
				return event;
			});
	}

	/** The answer first given to a command key (S3, idempotent commands), if any. */
	answerFor<T>(key: string): T | undefined {
		const row = this.sql
			.exec<{ answer: string }>("SELECT answer FROM commands WHERE key = ?", key)
			.toArray()[0];
		return row ? (JSON.parse(row.answer) as T) : undefined;
	}

	rememberAnswer(key: string, answer: unknown, at: number): void {
		this.sql.exec(
			"INSERT INTO commands (key, answer, at) VALUES (?, ?, ?)",
			key,
			JSON.stringify(answer),
			at,
		);
	}

	/**
	 * The step's outbox rows in one statement (per 33: 3 bound parameters each). An index row joins
	 * the index row still waiting, if any: one row rewritten instead of a row inserted and later
	 * deleted, since the index is written from the state as it is when sent (outbox-drain.ts).
	 */
	enqueue(messages: OutboxMessage[], at: number): void {
		const outbox = this.mirror();
		const rows = messages.filter((m) => m.kind !== "index" || !this.joinIndexRow(m));
		for (let i = 0; i < rows.length; i += 33) {
			const chunk = rows.slice(i, i + 33);
			// AUTOINCREMENT ids are handed out in VALUES order; RETURNING's order is not promised.
			const ids = this.sql
				.exec<{ id: number }>(
					`INSERT INTO outbox (kind, payload, created_at) VALUES ${chunk.map(() => "(?, ?, ?)").join(", ")} RETURNING id`,
					...chunk.flatMap((m) => [m.kind, JSON.stringify(m), at]),
				)
				.toArray()
				.map((r) => r.id)
				.sort((a, b) => a - b);
			chunk.forEach((message, k) => {
				outbox.push({ id: ids[k] as number, message, createdAt: at });
			});
		}
	}

	/**
	 * Merges an index message into the waiting index row that is not being sent: the union of their
	 * tasks, lazy only if both are. Keeps the row's age, so a lazy row still waits no longer than
	 * INDEX_LAG_MS from its first step.
	 */
	private joinIndexRow(m: Extract<OutboxMessage, { kind: "index" }>): boolean {
		const row = this.mirror().findLast(
			(r) => r.message.kind === "index" && !this.sending.has(r.id),
		);
		if (row?.message.kind !== "index") return false;
		const merged: OutboxMessage = {
			kind: "index",
			taskIds: [...new Set([...row.message.taskIds, ...m.taskIds])],
			...(row.message.lazy && m.lazy ? { lazy: true } : {}),
		};
		this.sql.exec("UPDATE outbox SET payload = ? WHERE id = ?", JSON.stringify(merged), row.id);
		row.message = merged;
		return true;
	}

	pending(limit = 100): PendingMessage[] {
		return this.mirror().slice(0, limit);
	}

	hasPending(): boolean {
		return this.mirror().length > 0;
	}

	/**
	 * Rows whose send succeeded leave the outbox at once; their DELETE is written by `flushSent`,
	 * inside the next step's transaction or alone once nothing else is pending, so a busy process
	 * pays one commit per step instead of two. Should the object die in between, the rows are
	 * read again and sent twice, which every receiver tolerates (G3).
	 */
	acknowledge(ids: number[]): void {
		const gone = new Set(ids);
		this.outbox = this.mirror().filter((r) => !gone.has(r.id));
		this.sent.push(...ids);
	}

	/** Rows whose send is under way: a step's index message does not join them (`joinIndexRow`). */
	async sendingRows<T>(ids: number[], send: () => Promise<T>): Promise<T> {
		for (const id of ids) this.sending.add(id);
		try {
			return await send();
		} finally {
			for (const id of ids) this.sending.delete(id);
		}
	}

	/** Deletes the acknowledged rows (see `acknowledge`). */
	flushSent(): void {
		const ids = this.sent;
		this.sent = [];
		for (let i = 0; i < ids.length; i += 100) {
			const chunk = ids.slice(i, i + 100);
			this.sql.exec(`DELETE FROM outbox WHERE id IN (${chunk.map(() => "?").join(",")})`, ...chunk);
		}
	}

	/** After a rolled-back transaction: the outbox is read again from the table on next use. */
	forgetOutbox(): void {
		this.outbox = undefined;
		this.sent = [];
	}

	private mirror(): PendingMessage[] {
		this.outbox ??= this.sql
			.exec<{ id: number; payload: string; created_at: number }>(
				"SELECT id, payload, created_at FROM outbox ORDER BY id",
			)
			.toArray()
			.map((r) => ({
				id: r.id,
				message: JSON.parse(r.payload) as OutboxMessage,
				createdAt: r.created_at,
			}));
		return this.outbox;
	}

	/** Test-only crash points (G6); armed through the FAULT_INJECTION binding. */
	armFault(point: string, times: number): void {
		this.sql.exec(
			"INSERT INTO faults (point, remaining) VALUES (?, ?) ON CONFLICT(point) DO UPDATE SET remaining = excluded.remaining",
			point,
			times,
		);
	}

	takeFault(point: string): boolean {
		const row = this.sql
			.exec<{ remaining: number }>("SELECT remaining FROM faults WHERE point = ?", point)
			.toArray()[0];
		if (!row || row.remaining <= 0) return false;
		this.sql.exec("UPDATE faults SET remaining = remaining - 1 WHERE point = ?", point);
		return true;
	}
}
