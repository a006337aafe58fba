// A task: GET /tasks/:id (the page and its form), POST /tasks/:id/input (submit the form: T4, then
// the next task or the inbox), POST /tasks/:id/claim (take a task of one's role), and for admins
// POST /tasks/:id/retry and /tasks/:id/revoke. Every POST works as a plain form (303) and with htmx.
// The acts are src/processes/acts.ts, shared with the API; this file reads the form and words the
// answers for people.
import { type Context, Hono } from "hono";
import { NoticeFor } from "../../../templates/components.tsx";
import { ProcessLive } from "../../../templates/process.tsx";
import { RacedNotice, TaskForm, TaskPage } from "../../../templates/task.tsx";
import { EngineError } from "../../engine/index.ts";
import { nextTaskAfterSubmit } from "../../inbox-live/next-task.ts";
import { visibleTask } from "../../processes/access.ts";
import { adminTaskAct, claimTask, submitValues } from "../../processes/acts.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware/authorize.ts";
import { safeNextPath } from "../middleware/paths.ts";
import { processHref, taskHref } from "../view-models/format.ts";
import { loadProcessPage, loadTaskPage } from "../view-models/loaders.ts";
import {
	chromeOf,
	isHtmx,
	newNonce,
	noticeOf,
	postedNonce,
	withNotice,
} from "../view-models/page-context.ts";
import { friendlyErrors, type PostedBody, parsePosted } from "../view-models/task-form.ts";
import { taskFormOf } from "../view-models/task-page.ts";
import { redirect } from "./session.tsx";

export const taskRoutes = new Hono<AppEnv>();

taskRoutes.get("/tasks/:id", async (c) => {
	const user = requireUser(c);
	const view = await loadTaskPage(c.env, user, c.req.param("id"), Date.now(), {
		nonce: newNonce(),
	});
	c.header("Cache-Control", "no-store");
	const notice = noticeOf(c);
	return c.html(<TaskPage chrome={chromeOf(c)} view={view} {...(notice ? { notice } : {})} />);
});

taskRoutes.post("/tasks/:id/input", async (c) => {
	const user = requireUser(c);
	const taskId = c.req.param("id");
	const found = await visibleTask(c.env, user, taskId);
	const { view, task } = found;
	const fields = taskFormOf(view, task).fields;
	const body = (await c.req.parseBody()) as PostedBody;
	const { values, typed } = parsePosted(fields, body, task.requiredFields);
	// T11: a key the form does not offer goes to the engine as posted, which refuses it (422).
	const offered = new Set([...fields.map((f) => f.name), "_csrf", "_nonce"]);
	for (const [key, raw] of Object.entries(body)) {
		if (!offered.has(key)) values[key] = Array.isArray(raw) ? raw.map(String) : String(raw);
	}
	const nonce = postedNonce(body as Record<string, unknown>) ?? newNonce();
	try {
		const key = `submit:${taskId}:${nonce}`;
		const done = await submitValues(c.env, user, taskId, values, key, found);
		const next = await nextTaskAfterSubmit(c.env, user, done, taskId);
		return redirect(c, withNotice(next ? taskHref(next) : "/inbox", "submitted"));
	} catch (e) {
		if (!(e instanceof EngineError)) throw e;
		if (e.code === "forbidden" || e.code === "already_started") {
			// Someone claimed or submitted it first, or the process ended: say so, keep what was typed.
			const page = await loadTaskPage(c.env, user, taskId, Date.now(), {
				nonce: newNonce(),
				typed,
				raced: true,
			});
			c.header("Cache-Control", "no-store");
			const status = e.code === "forbidden" ? 403 : 409;
			if (isHtmx(c)) return c.html(<RacedNotice view={page} />, status);
			return c.html(<TaskPage chrome={chromeOf(c)} view={page} />, status);
		}
		if (e.code !== "invalid_params") throw e;
		const engineErrors = (e.details as { fields?: Record<string, string> } | undefined)?.fields;
		const errors = friendlyErrors(fields, engineErrors ?? {}, typed);
		// A fresh nonce: the rejected one is remembered with its answer.
		const page = await loadTaskPage(c.env, user, taskId, Date.now(), {
			nonce: newNonce(),
			typed,
			errors,
			view,
		});
		c.header("Cache-Control", "no-store");
		if (isHtmx(c) && page.form) {
			return c.html(
				<TaskForm form={page.form} csrfToken={c.var.csrfToken} nodeName={page.nodeName} />,
				422,
			);
		}
		return c.html(<TaskPage chrome={chromeOf(c)} view={page} />, 422);
	}
});

taskRoutes.post("/tasks/:id/claim", async (c) => {
	const user = requireUser(c);
	const taskId = c.req.param("id");
	const { claimed } = await claimTask(c.env, user, taskId);
	return redirect(c, claimed ? withNotice(taskHref(taskId), "claimed") : taskHref(taskId));
});

taskRoutes.post("/tasks/:id/retry", (c) => adminAct(c, "retry"));
taskRoutes.post("/tasks/:id/revoke", (c) => adminAct(c, "revoke"));

/**
 * An admin's act on a task. From the process page with htmx, the answer is the page's live part
 * and a notice; otherwise a redirect back (the process or task page).
 */
async function adminAct(c: Context<AppEnv>, act: "retry" | "revoke"): Promise<Response> {
	const user = requireUser(c);
	const taskId = c.req.param("id") as string;
	const { processId } = await adminTaskAct(c.env, user, taskId, act);
	const notice = act === "retry" ? "retried" : "revoked";
	const body = await c.req.parseBody();
	const back = safeNextPath(typeof body.back === "string" ? body.back : taskHref(taskId));
	if (isHtmx(c) && back === processHref(processId)) {
		const page = await loadProcessPage(c.env, user, processId, Date.now());
		return c.html(
			<>
				<ProcessLive view={page} csrfToken={c.var.csrfToken} />
				<hx-partial hx-target="#flash" hx-swap="innerHTML">
					<NoticeFor code={notice} />
				</hx-partial>
			</>,
		);
	}
	return redirect(c, withNotice(back, notice));
}
