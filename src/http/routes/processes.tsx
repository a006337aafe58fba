// Processes: GET /processes (the list; htmx gets the results), GET /processes/:id (the page; htmx
// gets its live part), GET /processes/:id/events (the SSE stream, served by the ProcessObject once
// the viewer is checked) and POST /processes/:id/stop.
import { type Context, Hono } from "hono";
import { NoticeFor } from "../../../templates/components.tsx";
import { ProcessLive, ProcessPage } from "../../../templates/process.tsx";
import { ProcessesPage, ProcessResults } from "../../../templates/processes.tsx";
import { canStartAnyWorkflow, isAdmin } from "../../auth/permissions.ts";
import { type ProcessFilter, processListPage } from "../../db/process-index.ts";
import { processWorkflowChoices } from "../../db/process-index-workflow-choices.ts";
import { listVersions } from "../../db/workflows.ts";
import { visibleProcess } from "../../processes/access.ts";
import { stopProcess } from "../../processes/acts.ts";
import { correctValues, resumeProcess, suspendProcess } from "../../processes/operations.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware/authorize.ts";
import { bulkFormView } from "../view-models/bulk-page.ts";
import { processHref } from "../view-models/format.ts";
import { loadProcessPage } from "../view-models/loaders.ts";
import { processNotice } from "../view-models/notices.ts";
import { chromeOf, isHtmx, noticeOf, withNotice } from "../view-models/page-context.ts";
import { processFilterFrom, processListView } from "../view-models/processes-list.ts";
import { redirect } from "./session.tsx";

export const processRoutes = new Hono<AppEnv>();

/** The bulk actions form: the filters, and the versions a filtered workflow may migrate to. */
async function bulkFormFor(
	db: D1Database,
	filter: ProcessFilter,
	workflows: { key: string; name: string }[],
) {
	const { page: _page, ...selection } = filter;
	const workflow = filter.workflow ? workflows.find((w) => w.key === filter.workflow) : undefined;
	const versions = workflow ? (await listVersions(db, workflow.key)).map((v) => v.version) : [];
	return bulkFormView(selection, versions, workflow?.name);
}

processRoutes.get("/processes", async (c) => {
	const user = requireUser(c);
	const { filter, errors } = processFilterFrom(c.req.query());
	const [{ rows, total }, workflows] = await Promise.all([
		processListPage(c.env.DB, user, filter),
		processWorkflowChoices(c.env.DB, user, filter.workflow),
	]);
	const view = processListView({
		rows,
		total,
		filter,
		filterErrors: errors,
		workflows,
		now: Date.now(),
	});
	const bulk = isAdmin(user) ? await bulkFormFor(c.env.DB, filter, workflows) : undefined;
	c.header("Cache-Control", "no-store");
	c.header("Vary", "HX-Request");
	if (isHtmx(c)) {
		return c.html(<ProcessResults view={view} bulk={bulk} csrfToken={c.var.csrfToken} />);
	}
	return c.html(
		<ProcessesPage
			chrome={chromeOf(c)}
			view={view}
			bulk={bulk}
			canStart={canStartAnyWorkflow(user)}
		/>,
	);
});

processRoutes.get("/processes/:id", async (c) => {
	const user = requireUser(c);
	const view = await loadProcessPage(c.env, user, c.req.param("id"), Date.now());
	c.header("Cache-Control", "no-store");
	c.header("Vary", "HX-Request");
	if (isHtmx(c)) return c.html(<ProcessLive view={view} csrfToken={c.var.csrfToken} />);
	const notice = processNotice(noticeOf(c), view.isFinished);
	return c.html(<ProcessPage chrome={chromeOf(c)} view={view} {...(notice ? { notice } : {})} />);
});

processRoutes.get("/processes/:id/events", async (c) => {
	const user = requireUser(c);
	const id = c.req.param("id");
	const view = await visibleProcess(c.env, user, id);
	const headers = new Headers();
	const lastEventId = c.req.header("Last-Event-ID");
	if (lastEventId && /^\d{1,12}$/.test(lastEventId)) headers.set("Last-Event-ID", lastEventId);
	const since = c.req.query("since");
	const url = `https://process.internal/events${since && /^\d{1,12}$/.test(since) ? `?since=${since}` : `?since=${view.revision}`}`;
	const stream = await c.env.PROCESS.getByName(id).fetch(new Request(url, { headers }));
	// A fresh Response: the object's headers are immutable, and the middleware adds its own.
	return new Response(stream.body, stream);
});

/** After an act on the process page: its live part and a notice (htmx), or the page again. */
async function afterAct(
	c: Context<AppEnv>,
	id: string,
	notice: "stopped" | "suspended" | "resumed" | "corrected",
) {
	const user = requireUser(c);
	if (isHtmx(c)) {
		const page = await loadProcessPage(c.env, user, id, Date.now());
		return c.html(
			<>
				<ProcessLive view={page} csrfToken={c.var.csrfToken} />
				<hx-partial hx-target="#flash" hx-swap="innerHTML">
					<NoticeFor code={notice} />
				</hx-partial>
			</>,
		);
	}
	return redirect(c, withNotice(processHref(id), notice));
}

processRoutes.post("/processes/:id/stop", async (c) => {
	const id = c.req.param("id");
	await stopProcess(c.env, requireUser(c), id, "stop");
	return afterAct(c, id, "stopped");
});

/** O1: an admin suspends the process, with an optional reason people are shown when refused. */
processRoutes.post("/processes/:id/suspend", async (c) => {
	const id = c.req.param("id");
	const form = await c.req.parseBody();
	const reason = typeof form.reason === "string" ? form.reason.trim().slice(0, 500) : "";
	await suspendProcess(c.env, requireUser(c), id, reason || undefined);
	return afterAct(c, id, "suspended");
});

processRoutes.post("/processes/:id/resume", async (c) => {
	const id = c.req.param("id");
	await resumeProcess(c.env, requireUser(c), id);
	return afterAct(c, id, "resumed");
});

/** O3: an admin corrects one value (JSON, or plain text) of the params or of a failed task. */
processRoutes.post("/processes/:id/values", async (c) => {
	const id = c.req.param("id");
	const form = await c.req.parseBody();
	const text = (key: string) => (typeof form[key] === "string" ? (form[key] as string) : "");
	const name = text("name").trim().slice(0, 128);
	const raw = text("value");
	let value: unknown = raw;
	try {
		value = JSON.parse(raw);
	} catch {
		// Not JSON: the value is the text as typed.
	}
	const taskId = text("taskId");
	await correctValues(c.env, requireUser(c), id, {
		values: { [name]: value },
		...(taskId ? { taskId } : {}),
	});
	return afterAct(c, id, "corrected");
});
