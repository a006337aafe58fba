// The ProcessObject's own SQLite tables, as migrations (for objects made before each one) and as
// the schema they lead to (for a new object, created at once).
import type { SqliteSchema } from "./sqlite-migrations.ts";

/** The object's tables (sqlite-migrations.ts): each migration runs once, in order. */
export const PROCESS_SCHEMA: SqliteSchema = {
	migrations: [
		`CREATE TABLE process (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		definition TEXT NOT NULL,
		state TEXT NOT NULL,
		revision INTEGER NOT NULL,
		started_by TEXT
	);
	CREATE TABLE events (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		revision INTEGER NOT NULL,
		at INTEGER NOT NULL,
		type TEXT NOT NULL,
		task_id TEXT,
		node TEXT,
		actor TEXT,
		data TEXT
	);
	CREATE TABLE commands (key TEXT PRIMARY KEY, answer TEXT NOT NULL, at INTEGER NOT NULL);
	CREATE TABLE outbox (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		kind TEXT NOT NULL,
		payload TEXT NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE faults (point TEXT PRIMARY KEY, remaining INTEGER NOT NULL);`,
		// Fewer rows written per step (billed per row): the ledger keyed by its key alone, with no rowid
		// and second index; the history numbered without AUTOINCREMENT, whose counter row was rewritten
		// by every insert. Events are never deleted one by one, so `seq` still only grows.
		`CREATE TABLE commands_by_key (key TEXT PRIMARY KEY, answer TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
	INSERT INTO commands_by_key (key, answer, at) SELECT key, answer, at FROM commands;
	DROP TABLE commands;
	ALTER TABLE commands_by_key RENAME TO commands;
	CREATE TABLE events_by_seq (
		seq INTEGER PRIMARY KEY,
		revision INTEGER NOT NULL,
		at INTEGER NOT NULL,
		type TEXT NOT NULL,
		task_id TEXT,
		node TEXT,
		actor TEXT,
		data TEXT
	);
	INSERT INTO events_by_seq SELECT seq, revision, at, type, task_id, node, actor, data FROM events;
	DROP TABLE events;
	ALTER TABLE events_by_seq RENAME TO events;`,
	],
	current: `CREATE TABLE process (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		definition TEXT NOT NULL,
		state TEXT NOT NULL,
		revision INTEGER NOT NULL,
		started_by TEXT
	);
	CREATE TABLE outbox (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		kind TEXT NOT NULL,
		payload TEXT NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE faults (point TEXT PRIMARY KEY, remaining INTEGER NOT NULL);
	CREATE TABLE "commands" (key TEXT PRIMARY KEY, answer TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
	CREATE TABLE "events" (
		seq INTEGER PRIMARY KEY,
		revision INTEGER NOT NULL,
		at INTEGER NOT NULL,
		type TEXT NOT NULL,
		task_id TEXT,
		node TEXT,
		actor TEXT,
		data TEXT
	)`,
};
