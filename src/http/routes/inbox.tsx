// GET /inbox: the signed-in user's tasks and their roles' queues. htmx asks for the results only
// (the filters and the 5-second polling); a navigation gets the whole page. "/" leads here.
import { Hono } from "hono";
import { InboxPage, InboxResults } from "../../../templates/inbox.tsx";
import { roleNames } from "../../db/people.ts";
import { INBOX_LIMIT, inboxRows } from "../../db/process-index.ts";
import { workflowNames } from "../../db/workflows.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware/authorize.ts";
import { inboxFilterFrom, inboxView } from "../view-models/inbox.ts";
import { chromeOf, isHtmx, noticeOf } from "../view-models/page-context.ts";

export const inboxRoutes = new Hono<AppEnv>();

inboxRoutes.get("/", (c) => c.redirect("/inbox", 302));

inboxRoutes.get("/inbox", async (c) => {
	const user = requireUser(c);
	const filter = inboxFilterFrom(c.req.query());
	// One clock for the query and the words: a task the filter calls overdue reads overdue.
	const now = Date.now();
	const [rows, roles, workflows] = await Promise.all([
		inboxRows(c.env.DB, user, filter, now),
		roleNames(c.env.DB),
		workflowNames(c.env.DB),
	]);
	const view = inboxView({
		rows,
		viewer: user,
		filter,
		roleNames: roles,
		workflows,
		now,
		limit: INBOX_LIMIT,
	});
	c.header("Cache-Control", "no-store");
	c.header("Vary", "HX-Request");
	if (isHtmx(c)) return c.html(<InboxResults view={view} csrfToken={c.var.csrfToken} />);
	const notice = noticeOf(c);
	return c.html(<InboxPage chrome={chromeOf(c)} view={view} {...(notice ? { notice } : {})} />);
});
