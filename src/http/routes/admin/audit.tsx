// /admin/audit: the audit log of administrators' changes, filtered and paged (the admin door has
// already turned everyone but admins away).
import { Hono } from "hono";
import { AuditPage } from "../../../../templates/admin/audit.tsx";
import { listAudit } from "../../../db/audit.ts";
import { userNames } from "../../../db/people.ts";
import type { AppEnv } from "../../context.ts";
import { auditFilterFrom, auditPageView } from "../../view-models/audit-page.ts";
import { chromeOf } from "../../view-models/page-context.ts";

export const auditRoutes = new Hono<AppEnv>();

auditRoutes.get("/audit", async (c) => {
	const { filter, query } = auditFilterFrom(c.req.query());
	const { items, hasMore } = await listAudit(c.env.DB, query);
	const names = await userNames(
		c.env.DB,
		items.map((e) => e.actor),
	);
	const view = auditPageView({ filter, items, hasMore, userNames: names, now: Date.now() });
	c.header("Cache-Control", "no-store");
	return c.html(<AuditPage chrome={chromeOf(c)} view={view} />);
});
