// A MessageBox's own SQLite tables: the tasks waiting for its message (in the order they began to
// wait), the messages it holds or remembers, and the one delivery in flight. Synchronous calls
// only, so the box's writes between two awaits are one unit that no other request interleaves.
import { migrateSqlite } from "../durable/sqlite-migrations.ts";
import { type BoxContents, type BoxMessage, REMEMBER_IDS_MS, type Subscriber } from "./message.ts";

const MIGRATIONS: string[] = [
	`CREATE TABLE box (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		name TEXT NOT NULL,
		correlation_key TEXT NOT NULL
	);
	CREATE TABLE subscribers (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		process_id TEXT NOT NULL,
		task_id TEXT NOT NULL,
		workflow_key TEXT NOT NULL,
		since INTEGER NOT NULL,
		UNIQUE (process_id, task_id)
	);
	CREATE INDEX subscribers_order ON subscribers (since, seq);
	CREATE TABLE messages (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		id TEXT NOT NULL UNIQUE,
		status TEXT NOT NULL,
		payload TEXT,
		workflow_key TEXT,
		keep INTEGER NOT NULL,
		published_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		forget_at INTEGER NOT NULL,
		offered_process TEXT,
		offered_task TEXT,
		delivered_process TEXT,
		delivered_task TEXT
	);
	CREATE INDEX messages_kept ON messages (status, seq);`,
];

/**
 * A message's life in its box: `kept` until a task takes it (`delivered`), its time-to-live ends
 * (`expired`), or nobody waited and it was not to be kept (`discarded`). Only a kept message has
 * its payload; the others are remembered by id until `forget_at`, to answer a repeated publish.
 */
export type MessageStatus = "kept" | "delivered" | "expired" | "discarded";

export interface MessageRow {
	id: string;
	status: MessageStatus;
	expiresAt: number;
	deliveredProcess: string | null;
	deliveredTask: string | null;
}

/** A message to hand to a waiting task; `offered`: it was already sent, its answer is unknown. */
export interface Delivery {
	messageId: string;
	payload: unknown;
	processId: string;
	taskId: string;
	offered: boolean;
}

export class BoxStore {
	private readonly sql: SqlStorage;

	constructor(sql: SqlStorage) {
		this.sql = sql;
		migrateSqlite(sql, { migrations: MIGRATIONS });
	}

	/** The message name and correlation key this box serves (written by the first call). */
	identity(): { name: string; correlationKey: string } | undefined {
		const row = this.sql
			.exec<{ name: string; correlation_key: string }>(
				"SELECT name, correlation_key FROM box WHERE id = 1",
			)
			.toArray()[0];
		return row ? { name: row.name, correlationKey: row.correlation_key } : undefined;
	}

	rememberIdentity(name: string, correlationKey: string): void {
		this.sql.exec(
			"INSERT INTO box (id, name, correlation_key) VALUES (1, ?, ?) ON CONFLICT(id) DO NOTHING",
			name,
			correlationKey,
		);
	}

	find(id: string): MessageRow | undefined {
		return this.sql
			.exec<{
				id: string;
				status: MessageStatus;
				expires_at: number;
				delivered_process: string | null;
				delivered_task: string | null;
			}>(
				"SELECT id, status, expires_at, delivered_process, delivered_task FROM messages WHERE id = ?",
				id,
			)
			.toArray()
			.map((r) => ({
				id: r.id,
				status: r.status,
				expiresAt: r.expires_at,
				deliveredProcess: r.delivered_process,
				deliveredTask: r.delivered_task,
			}))[0];
	}

	keep(message: BoxMessage, now: number): void {
		const expiresAt = now + message.ttlSeconds * 1000;
		this.sql.exec(
			`INSERT INTO messages (id, status, payload, workflow_key, keep, published_at, expires_at, forget_at)
			 VALUES (?, 'kept', ?, ?, ?, ?, ?, ?)`,
			message.id,
			JSON.stringify(message.payload ?? null),
			message.workflowKey ?? null,
			message.keep ? 1 : 0,
			now,
			expiresAt,
			Math.max(expiresAt, now + REMEMBER_IDS_MS),
		);
	}

	/** A replayed Subscribe keeps its first place in the queue. */
	addSubscriber(s: Subscriber): void {
		this.sql.exec(
			`INSERT INTO subscribers (process_id, task_id, workflow_key, since) VALUES (?, ?, ?, ?)
			 ON CONFLICT (process_id, task_id) DO NOTHING`,
			s.processId,
			s.taskId,
			s.workflowKey,
			s.since,
		);
	}

	removeSubscriber(processId: string, taskId: string): void {
		this.sql.exec(
			"DELETE FROM subscribers WHERE process_id = ? AND task_id = ?",
			processId,
			taskId,
		);
	}

	/**
	 * The next delivery to make: first the one whose answer was lost (sent again, to the same task,
	 * with the same key), else the oldest kept message with the longest-waiting task that may take
	 * it (a message of a webhook trigger goes only to its workflow's tasks).
	 */
	nextDelivery(now: number): Delivery | undefined {
		const offered = this.sql
			.exec<{ id: string; payload: string; offered_process: string; offered_task: string }>(
				`SELECT id, payload, offered_process, offered_task FROM messages
				 WHERE status = 'kept' AND offered_task IS NOT NULL ORDER BY seq LIMIT 1`,
			)
			.toArray()[0];
		if (offered) {
			return {
				messageId: offered.id,
				payload: JSON.parse(offered.payload) as unknown,
				processId: offered.offered_process,
				taskId: offered.offered_task,
				offered: true,
			};
		}
		const match = this.sql
			.exec<{ id: string; payload: string; process_id: string; task_id: string }>(
				`SELECT m.id, m.payload, s.process_id, s.task_id FROM messages m
				 JOIN subscribers s ON m.workflow_key IS NULL OR m.workflow_key = s.workflow_key
				 WHERE m.status = 'kept' AND m.expires_at > ?
				 ORDER BY m.seq, s.since, s.seq LIMIT 1`,
				now,
			)
			.toArray()[0];
		if (!match) return undefined;
		return {
			messageId: match.id,
			payload: JSON.parse(match.payload) as unknown,
			processId: match.process_id,
			taskId: match.task_id,
			offered: false,
		};
	}

	/** Written before the message is sent, so a crash leaves the send to be repeated, not guessed. */
	offer(d: Delivery): void {
		this.sql.exec(
			"UPDATE messages SET offered_process = ?, offered_task = ? WHERE id = ?",
			d.processId,
			d.taskId,
			d.messageId,
		);
	}

	/** The task took it: the message is done, and so is the task's wait. */
	delivered(d: Delivery): void {
		this.sql.exec(
			`UPDATE messages SET status = 'delivered', payload = NULL, offered_process = NULL,
			 offered_task = NULL, delivered_process = ?, delivered_task = ? WHERE id = ?`,
			d.processId,
			d.taskId,
			d.messageId,
		);
		this.removeSubscriber(d.processId, d.taskId);
	}

	/** The task no longer waits (T8): it leaves the queue, the message stays for the next one. */
	refused(d: Delivery): void {
		this.sql.exec(
			"UPDATE messages SET offered_process = NULL, offered_task = NULL WHERE id = ?",
			d.messageId,
		);
		this.removeSubscriber(d.processId, d.taskId);
	}

	/**
	 * After every delivery round: messages past their time-to-live expire, and those not to be kept
	 * (they started processes) that nobody took are discarded. A message whose delivery is in
	 * flight waits for its answer.
	 */
	settle(now: number): void {
		this.sql.exec(
			`UPDATE messages SET status = CASE WHEN keep = 0 THEN 'discarded' ELSE 'expired' END,
			 payload = NULL
			 WHERE status = 'kept' AND offered_task IS NULL AND (keep = 0 OR expires_at <= ?)`,
			now,
		);
	}

	/** Drops the ids remembered long enough. */
	forget(now: number): void {
		this.sql.exec("DELETE FROM messages WHERE status != 'kept' AND forget_at <= ?", now);
	}

	hasOffer(): boolean {
		return (
			this.sql
				.exec("SELECT 1 FROM messages WHERE status = 'kept' AND offered_task IS NOT NULL LIMIT 1")
				.toArray().length > 0
		);
	}

	/** When the box must wake next: the earliest expiry of a kept message, or id to forget. */
	nextWakeAt(): number | undefined {
		const row = this.sql
			.exec<{ at: number | null }>(
				`SELECT MIN(CASE WHEN status = 'kept' THEN expires_at ELSE forget_at END) AS at
				 FROM messages`,
			)
			.one();
		return row.at ?? undefined;
	}

	contents(): BoxContents {
		return {
			subscribers: this.sql
				.exec<{ process_id: string; task_id: string; since: number }>(
					"SELECT process_id, task_id, since FROM subscribers ORDER BY since, seq",
				)
				.toArray()
				.map((r) => ({ processId: r.process_id, taskId: r.task_id, since: r.since })),
			kept: this.sql
				.exec<{ id: string; expires_at: number; payload: string }>(
					"SELECT id, expires_at, payload FROM messages WHERE status = 'kept' ORDER BY seq",
				)
				.toArray()
				.map((r) => ({
					id: r.id,
					expiresAt: r.expires_at,
					payload: JSON.parse(r.payload) as unknown,
				})),
			known: this.sql
				.exec<{ id: string; status: string }>("SELECT id, status FROM messages ORDER BY seq")
				.toArray(),
		};
	}
}
