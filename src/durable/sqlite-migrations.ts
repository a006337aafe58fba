// Schema upgrades of a Durable Object's own SQLite database. `PRAGMA user_version` is not available
// to Durable Objects, so each applies its list once, in order, recorded in schema_migrations.
// https://developers.cloudflare.com/durable-objects/api/sqlite-storage-api/

/** What the migrations use of a Durable Object's `ctx.storage.sql`. */
export interface SqlExec {
	exec(
		query: string,
		...bindings: unknown[]
	): { toArray(): unknown[]; one(): Record<string, unknown> };
}

/** A Durable Object's tables: the upgrades in order, and optionally the schema they lead to. */
export interface SqliteSchema {
	/** Each entry runs once, in order, on a database that has the ones before it (version 1 first). */
	migrations: readonly string[];
	/**
	 * The tables as every migration leaves them, created at once in a new database. One object is
	 * created per process, so creating, copying and renaming tables it never had would cost each
	 * new process SQLite work and rows written; a test checks it equals the migrations' result.
	 */
	current?: string;
}

/** Brings this object's database to the schema's last version. */
export function migrateSqlite(sql: SqlExec, schema: SqliteSchema): void {
	const { migrations, current } = schema;
	const known = sql
		.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
		.toArray();
	if (known.length === 0 && current !== undefined) {
		sql.exec(
			`${current};
			CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY);
			INSERT INTO schema_migrations (version) VALUES (${migrations.length})`,
		);
		return;
	}
	if (known.length === 0) sql.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)");
	const row = sql.exec("SELECT MAX(version) AS v FROM schema_migrations").one();
	const done = typeof row.v === "number" ? row.v : 0;
	for (let version = done + 1; version <= migrations.length; version++) {
		sql.exec(migrations[version - 1] as string);
		sql.exec("INSERT INTO schema_migrations (version) VALUES (?)", version);
	}
}
