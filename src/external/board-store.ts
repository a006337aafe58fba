// A TaskBoard's own SQLite tables: the attempts offered to the workers of its task type, in the
// order they are handed out (priority, then age). Synchronous calls only, so the board's writes
// between two awaits are one unit that no other request interleaves.
import { migrateSqlite } from "../durable/sqlite-migrations.ts";
import type { BoardContents, Offer } from "./external-task.ts";

const MIGRATIONS: string[] = [
	`CREATE TABLE board (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		task_type TEXT NOT NULL
	);
	CREATE TABLE offers (
		task_id TEXT PRIMARY KEY,
		process_id TEXT NOT NULL,
		attempt INTEGER NOT NULL,
		priority INTEGER NOT NULL,
		since INTEGER NOT NULL,
		available_at INTEGER NOT NULL
	);
	CREATE INDEX offers_order ON offers (priority, since, task_id);
	CREATE INDEX offers_available ON offers (available_at);`,
];

type OfferRow = {
	task_id: string;
	process_id: string;
	attempt: number;
	priority: number;
	since: number;
	available_at: number;
};

function offerOf(r: OfferRow): Offer {
	return {
		taskId: r.task_id,
		processId: r.process_id,
		attempt: r.attempt,
		priority: r.priority,
		since: r.since,
		availableAt: r.available_at,
	};
}

const ORDER = "ORDER BY priority, since, task_id";

export class BoardStore {
	private readonly sql: SqlStorage;

	constructor(sql: SqlStorage) {
		this.sql = sql;
		migrateSqlite(sql, { migrations: MIGRATIONS });
	}

	/** The task type this board serves (written by the first offer or fetch). */
	taskType(): string | undefined {
		return this.sql
			.exec<{ task_type: string }>("SELECT task_type FROM board WHERE id = 1")
			.toArray()[0]?.task_type;
	}

	rememberTaskType(taskType: string): void {
		this.sql.exec(
			"INSERT INTO board (id, task_type) VALUES (1, ?) ON CONFLICT(id) DO NOTHING",
			taskType,
		);
	}

	/**
	 * An attempt is offered. A replayed offer, or one older than what the board holds (an outbox
	 * sent again after a crash), changes nothing; a newer attempt of the same task replaces the old.
	 */
	offer(o: Offer): void {
		this.sql.exec(
			`INSERT INTO offers (task_id, process_id, attempt, priority, since, available_at)
			 VALUES (?, ?, ?, ?, ?, ?)
			 ON CONFLICT (task_id) DO UPDATE SET attempt = excluded.attempt,
			   priority = excluded.priority, available_at = excluded.available_at
			 WHERE excluded.attempt > offers.attempt`,
			o.taskId,
			o.processId,
			o.attempt,
			o.priority,
			o.since,
			o.availableAt,
		);
	}

	/** K1: the task was revoked or its process ended: whatever attempt is offered goes. */
	withdraw(taskId: string): void {
		this.sql.exec("DELETE FROM offers WHERE task_id = ?", taskId);
	}

	/** The attempt was handed out, or is no longer to be had (stale, finished). */
	drop(o: Pick<Offer, "taskId" | "attempt">): void {
		this.sql.exec("DELETE FROM offers WHERE task_id = ? AND attempt = ?", o.taskId, o.attempt);
	}

	/** Someone holds the attempt's lock, or its process could not be reached: ask again later. */
	defer(o: Pick<Offer, "taskId" | "attempt">, until: number): void {
		this.sql.exec(
			"UPDATE offers SET available_at = ? WHERE task_id = ? AND attempt = ?",
			until,
			o.taskId,
			o.attempt,
		);
	}

	/**
	 * Up to `limit` offers ready at `now`, highest priority (0) first, then oldest, leaving out the
	 * ones another fetch is claiming right now.
	 */
	ready(now: number, limit: number, claiming: ReadonlySet<string>): Offer[] {
		return this.sql
			.exec<OfferRow>(
				`SELECT * FROM offers WHERE available_at <= ? ${ORDER} LIMIT ?`,
				now,
				limit + claiming.size,
			)
			.toArray()
			.filter((r) => !claiming.has(r.task_id))
			.slice(0, limit)
			.map(offerOf);
	}

	/** When the next offer that is not ready yet becomes ready (a backoff, a deferral). */
	nextAvailableAt(now: number): number | undefined {
		const row = this.sql
			.exec<{ at: number | null }>(
				"SELECT MIN(available_at) AS at FROM offers WHERE available_at > ?",
				now,
			)
			.one();
		return row.at ?? undefined;
	}

	offers(): (Offer & { taskType: string })[] {
		const taskType = this.taskType() ?? "";
		return this.sql
			.exec<OfferRow>(`SELECT * FROM offers ${ORDER}`)
			.toArray()
			.map((r) => ({ ...offerOf(r), taskType }));
	}

	contents(waiting: number): BoardContents {
		return { offers: this.offers(), waiting };
	}
}
