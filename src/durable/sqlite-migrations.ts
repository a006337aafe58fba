// Schema upgrades of a Durable Object's own SQLite database. `PRAGMA user_version` is not available
// to Durable Objects, so each applies its list once, in order, recorded in schema_migrations.
// https://developers.cloudflare.com/durable-objects/api/sqlite-storage-api/

/** Runs the entries of `migrations` that this object has not run yet (the first is version 1). */
export function migrateSqlite(sql: SqlStorage, migrations: readonly string[]): void {
	sql.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
	const row = sql.exec("SELECT MAX(version) AS v FROM schema_migrations").one();
	const done = typeof row.v === "number" ? row.v : 0;
	for (let version = done + 1; version <= migrations.length; version++) {
		sql.exec(migrations[version - 1] as string);
		sql.exec("INSERT INTO schema_migrations (version) VALUES (?)", version);
	}
}
