// GET /inbox: the signed-in user's tasks and their roles' queues. htmx asks for the results only
// (the filters, and a refetch whenever the live stream says tasks changed); a navigation gets the
// whole page. "/" leads here. GET /inbox/events is the live stream (the person's Tasklist object),
// GET /inbox/count the navigation's count, POST /inbox/claim claims several queued tasks at once,
// POST /inbox/filters saves the page's filters under a name, POST /inbox/filters/:id/delete forgets one.
import { Hono } from "hono";
import { InboxCount } from "../../../templates/components.tsx";
import { InboxPage, InboxRefresh } from "../../../templates/inbox.tsx";
import { randomId } from "../../auth/csrf.ts";
import { roleNames } from "../../db/people.ts";
import { INBOX_LIMIT, inboxRows } from "../../db/process-index.ts";
import { openTaskCount } from "../../db/process-index-open-tasks.ts";
import { inboxWorkflowChoices } from "../../db/process-index-workflow-choices.ts";
import {
	deleteSavedFilter,
	listSavedFilters,
	SAVED_FILTER_NAME_MAX,
	saveFilter,
} from "../../db/saved-filters.ts";
import { EngineError } from "../../engine/index.ts";
import { AppError } from "../../errors.ts";
import { tasklistOf } from "../../inbox-live/tasklist.ts";
import { claimTask } from "../../processes/acts.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware/authorize.ts";
import { inboxFilterFrom, inboxHref, inboxQuery, inboxView } from "../view-models/inbox.ts";
import { chromeOf, isHtmx, noticeOf, redirect, withNotice } from "../view-models/page-context.ts";

export const inboxRoutes = new Hono<AppEnv>();

/** At most this many tasks in one bulk claim (one ProcessObject call each). */
export const BULK_CLAIM_LIMIT = 50;

inboxRoutes.get("/", (c) => c.redirect("/inbox", 302));

inboxRoutes.get("/inbox", async (c) => {
	const user = requireUser(c);
	const filter = inboxFilterFrom(c.req.query());
	// One clock for the query and the words: a task the filter calls overdue reads overdue.
	const now = Date.now();
	const [rows, roles, workflows, saved, openTasks] = await Promise.all([
		inboxRows(c.env.DB, user, filter, now),
		roleNames(c.env.DB),
		inboxWorkflowChoices(c.env.DB, user, filter.workflow),
		listSavedFilters(c.env.DB, user.id),
		openTaskCount(c.env.DB, user),
	]);
	const view = inboxView({
		rows,
		viewer: user,
		filter,
		roleNames: roles,
		workflows,
		now,
		limit: INBOX_LIMIT,
		savedFilters: saved,
		openTasks,
	});
	c.header("Cache-Control", "no-store");
	c.header("Vary", "HX-Request");
	if (isHtmx(c)) return c.html(<InboxRefresh view={view} csrfToken={c.var.csrfToken} />);
	const notice = noticeOf(c);
	return c.html(<InboxPage chrome={chromeOf(c)} view={view} {...(notice ? { notice } : {})} />);
});

inboxRoutes.get("/inbox/events", async (c) => {
	const user = requireUser(c);
	const stream = await tasklistOf(c.env, user.id).fetch("https://tasklist.internal/events");
	// A fresh Response: the object's headers are immutable, and the middleware adds its own.
	return new Response(stream.body, stream);
});

inboxRoutes.get("/inbox/count", async (c) => {
	const user = requireUser(c);
	const count = await openTaskCount(c.env.DB, user);
	c.header("Cache-Control", "no-store");
	return c.html(<InboxCount count={count} />);
});

inboxRoutes.post("/inbox/claim", async (c) => {
	const user = requireUser(c);
	const body = await c.req.parseBody({ all: true });
	const ids = [body.task ?? []].flat().map(String);
	const back = inboxHref(inboxFilterFrom(queryOf(body.back)));
	if (ids.length === 0) return redirect(c, withNotice(back, "claim-choose"));
	if (ids.length > BULK_CLAIM_LIMIT) {
		throw new AppError("invalid_request", `Claim at most ${BULK_CLAIM_LIMIT} tasks at once.`);
	}
	if (ids.some((id) => !/^[A-Za-z0-9_.:/-]{1,200}$/.test(id))) {
		throw new AppError("invalid_request", "That is not a task of this inbox.");
	}
	const outcomes = await Promise.allSettled(
		[...new Set(ids)].map((id) => claimTask(c.env, user, id)),
	);
	for (const o of outcomes) {
		// Raced (someone else took it, it ended) or not this person's: counted, not an error page.
		const isExpected = o.status === "fulfilled" || o.reason instanceof EngineError;
		if (!isExpected) throw o.reason;
	}
	const taken = outcomes.filter((o) => o.status === "fulfilled").length;
	const notice =
		taken === outcomes.length ? "claimed-all" : taken === 0 ? "claimed-none" : "claimed-some";
	return redirect(c, withNotice(back, notice));
});

inboxRoutes.post("/inbox/filters", async (c) => {
	const user = requireUser(c);
	const body = await c.req.parseBody();
	const name = typeof body.name === "string" ? body.name.trim() : "";
	if (name.length === 0 || name.length > SAVED_FILTER_NAME_MAX) {
		throw new AppError(
			"invalid_request",
			`Give the filter a name of 1 to ${SAVED_FILTER_NAME_MAX} characters.`,
		);
	}
	// Saved as the inbox would read it back: unknown filters dropped, the same order of keys.
	const query = inboxQuery(inboxFilterFrom(queryOf(body.query)));
	const saved = await saveFilter(c.env.DB, {
		id: `f-${randomId(9)}`,
		userId: user.id,
		name,
		query,
		now: Date.now(),
	});
	const back = query ? `/inbox?${query}` : "/inbox";
	return redirect(c, withNotice(back, saved ? "filter-saved" : "filter-limit"));
});

inboxRoutes.post("/inbox/filters/:id/delete", async (c) => {
	const user = requireUser(c);
	const deleted = await deleteSavedFilter(c.env.DB, user.id, c.req.param("id"));
	if (!deleted) throw new AppError("not_found", "You have no such saved filter.");
	return redirect(c, withNotice("/inbox", "filter-deleted"));
});

/** A posted query string (`workflow=…&sort=…`) as the inbox's query parameters. */
function queryOf(value: unknown): Record<string, string> {
	if (typeof value !== "string" || value.length > 1000) return {};
	return Object.fromEntries(new URLSearchParams(value.replace(/^[^?]*\?/, "")));
}
