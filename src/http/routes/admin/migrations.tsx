// /admin/workflows/:key/migrate (O2): the versions and the node mapping (GET), then the dry run or
// the migration of the running processes of the chosen version (POST). The work per process is
// src/processes/migrations.ts; this page only reads the form and shows the report.
import { Hono } from "hono";
import { MigrationPage } from "../../../../templates/admin/migration.tsx";
import { findPublishedVersion, listVersions } from "../../../db/workflows.ts";
import { MIGRATION_PAGE, migrateProcesses } from "../../../processes/migrations.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { mappingFrom, migrationPageView } from "../../view-models/migration-page.ts";
import { chromeOf } from "../../view-models/page-context.ts";
import type { AdminContext } from "./guard.ts";

export const migrationRoutes = new Hono<AppEnv>();

/** The two versions the request names, or by default the one before the latest and the latest. */
async function versionsOf(c: AdminContext, form: Record<string, string | undefined>) {
	const key = c.req.param("key") ?? "";
	const versions = (await listVersions(c.env.DB, key)).map((v) => v.version);
	const latest = versions[0];
	if (latest === undefined) throw new AppError("not_found", "There is no such workflow.");
	const pick = (value: string | undefined, fallback: number) => {
		const n = Number(value);
		return versions.includes(n) ? n : fallback;
	};
	const to = pick(form.to, latest);
	const from = pick(form.from, versions.find((v) => v !== to) ?? to);
	const [fromDef, toDef] = await Promise.all([
		findPublishedVersion(c.env.DB, key, from),
		findPublishedVersion(c.env.DB, key, to),
	]);
	if (!fromDef || !toDef) throw new AppError("not_found", "There is no such version.");
	return { key, versions, fromDef, toDef };
}

migrationRoutes.get("/workflows/:key/migrate", async (c) => {
	const { key, versions, fromDef, toDef } = await versionsOf(c, c.req.query());
	const view = migrationPageView({
		workflowKey: key,
		versions,
		from: fromDef,
		to: toDef,
		mapping: mappingFrom({}, fromDef, toDef),
	});
	c.header("Cache-Control", "no-store");
	return c.html(<MigrationPage chrome={chromeOf(c)} view={view} />);
});

migrationRoutes.post("/workflows/:key/migrate", async (c) => {
	const form: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(await c.req.parseBody())) {
		if (typeof value === "string") form[name] = value;
	}
	const { key, versions, fromDef, toDef } = await versionsOf(c, form);
	const mapping = mappingFrom(form, fromDef, toDef);
	const report = await migrateProcesses(c.env, c.get("user"), {
		workflowKey: key,
		toVersion: toDef.version ?? 0,
		fromVersion: fromDef.version ?? 0,
		mapping,
		dryRun: form.act !== "apply",
		limit: MIGRATION_PAGE,
	});
	const view = migrationPageView({
		workflowKey: key,
		versions,
		from: fromDef,
		to: toDef,
		mapping,
		report,
	});
	return c.html(<MigrationPage chrome={chromeOf(c)} view={view} />);
});
