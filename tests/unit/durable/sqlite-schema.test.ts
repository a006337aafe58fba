// A new ProcessObject creates its tables as its migrations leave them, in one go; an object made
// before a migration gets it. Both must end with the same tables, or a new process and an old one
// would differ. Checked on Node's SQLite, the engine Durable Objects use.
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { PROCESS_SCHEMA } from "../../../src/durable/process-schema.ts";
import {
	migrateSqlite,
	type SqlExec,
	type SqliteSchema,
} from "../../../src/durable/sqlite-migrations.ts";

/** What migrateSqlite uses of a Durable Object's SQL storage, over an in-memory database. */
function sqlStorage(db: DatabaseSync): SqlExec {
	const exec = (query: string, ...bindings: unknown[]) => {
		const rows: Record<string, unknown>[] = [];
		if (bindings.length === 0 && query.includes(";")) db.exec(query);
		else {
			const statement = db.prepare(query);
			if (/^\s*SELECT/i.test(query))
				rows.push(...(statement.all(...(bindings as never[])) as Record<string, unknown>[]));
			else statement.run(...(bindings as never[]));
		}
		return {
			toArray: () => rows,
			one: () => {
				const [row] = rows;
				if (rows.length !== 1 || !row) throw new Error(`expected one row, got ${rows.length}`);
				return row;
			},
		};
	};
	return { exec };
}

function tables(db: DatabaseSync): { name: string; sql: string }[] {
	return (
		db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all() as {
			name: string;
			sql: string | null;
		}[]
	).map((r) => ({ name: r.name, sql: (r.sql ?? "").replace(/\s+/g, " ").trim() }));
}

function versionOf(db: DatabaseSync): number {
	return (db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number }).v;
}

describe("a Durable Object's SQLite schema", () => {
	it("a new process object gets at once the tables its migrations would have left", () => {
		const fresh = new DatabaseSync(":memory:");
		migrateSqlite(sqlStorage(fresh), PROCESS_SCHEMA);
		const stepwise = new DatabaseSync(":memory:");
		migrateSqlite(sqlStorage(stepwise), { migrations: PROCESS_SCHEMA.migrations });
		expect(tables(fresh)).toEqual(tables(stepwise));
		expect(versionOf(fresh)).toBe(PROCESS_SCHEMA.migrations.length);
		expect(versionOf(stepwise)).toBe(PROCESS_SCHEMA.migrations.length);
	});

	it("an object made before a migration runs only the migrations it has not had", () => {
		const db = new DatabaseSync(":memory:");
		const first: SqliteSchema = { migrations: PROCESS_SCHEMA.migrations.slice(0, 1) };
		migrateSqlite(sqlStorage(db), first);
		db.exec("INSERT INTO events (revision, at, type) VALUES (1, 5, 'ProcessCreated')");
		migrateSqlite(sqlStorage(db), PROCESS_SCHEMA);
		expect(versionOf(db)).toBe(PROCESS_SCHEMA.migrations.length);
		expect(db.prepare("SELECT seq, type FROM events").all()).toEqual([
			{ seq: 1, type: "ProcessCreated" },
		]);
		// Run again (the object restarts): nothing more to do.
		migrateSqlite(sqlStorage(db), PROCESS_SCHEMA);
		expect(versionOf(db)).toBe(PROCESS_SCHEMA.migrations.length);
	});
});
