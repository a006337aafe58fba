// A task: GET /tasks/:id (the page and its form), POST /tasks/:id/input (submit the form: T4, then
// the next task or the inbox), POST /tasks/:id/claim (take a task of one's role), and for admins
// POST /tasks/:id/retry and /tasks/:id/revoke. Every POST works as a plain form (303) and with htmx.
import { type Context, Hono } from "hono";
import { NoticeFor } from "../../../templates/components.tsx";
import { ProcessLive } from "../../../templates/process.tsx";
import { RacedNotice, TaskForm, TaskPage } from "../../../templates/task.tsx";
import type { CurrentUser } from "../../auth/current-user.ts";
import { toActor } from "../../auth/current-user.ts";
import { canActOnTask, canClaimTask, isAdmin } from "../../auth/permissions.ts";
import { processStub, unwrap } from "../../durable/process-client.ts";
import { type Command, fromErrorData } from "../../engine/index.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";
import { requireUser } from "../middleware/authorize.ts";
import { safeNextPath } from "../middleware/paths.ts";
import { processHref, taskHref } from "../view-models/format.ts";
import { findNextTask } from "../view-models/index-reads.ts";
import { loadProcessPage, loadTaskPage, visibleTask } from "../view-models/loaders.ts";
import {
	chromeOf,
	isHtmx,
	newNonce,
	noticeOf,
	postedNonce,
	withNotice,
} from "../view-models/page-context.ts";
import { taskRef } from "../view-models/process-page.ts";
import { friendlyErrors, type PostedBody, parsePosted } from "../view-models/task-form.ts";
import { taskFormOf, taskOf } from "../view-models/task-page.ts";
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
	const { view, processId } = await visibleTask(c.env, user, taskId);
	const task = taskOf(view, taskId);
	const fields = taskFormOf(view, task).fields;
	const body = (await c.req.parseBody()) as PostedBody;
	const { values, typed } = parsePosted(fields, body, task.requiredFields);
	// T11: a key the form does not offer goes to the engine as posted, which refuses it (422).
	const offered = new Set([...fields.map((f) => f.name), "_csrf", "_nonce"]);
	for (const [key, raw] of Object.entries(body)) {
		if (!offered.has(key)) values[key] = Array.isArray(raw) ? raw.map(String) : String(raw);
	}
	const nonce = postedNonce(body as Record<string, unknown>) ?? newNonce();
	const answer = await processStub(c.env, processId).execute(
		{ type: "SubmitValues", taskId, values, actor: toActor(user) },
		`submit:${taskId}:${nonce}`,
	);
	if (
		!answer.ok &&
		(answer.error.code === "forbidden" || answer.error.code === "already_started")
	) {
		// Someone claimed or submitted it first, or the process ended: say so, keep what was typed.
		const page = await loadTaskPage(c.env, user, taskId, Date.now(), {
			nonce: newNonce(),
			typed,
			raced: true,
		});
		c.header("Cache-Control", "no-store");
		const status = answer.error.code === "forbidden" ? 403 : 409;
		if (isHtmx(c)) return c.html(<RacedNotice view={page} />, status);
		return c.html(<TaskPage chrome={chromeOf(c)} view={page} />, status);
	}
	if (!answer.ok) {
		if (answer.error.code !== "invalid_params") throw fromErrorData(answer.error);
		const engineErrors =
			(answer.error.details as { fields?: Record<string, string> } | undefined)?.fields ?? {};
		const errors = friendlyErrors(fields, engineErrors, typed);
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
	const next = await findNextTask(c.env.DB, user, processId, taskId);
	return redirect(c, withNotice(next ? taskHref(next) : "/inbox", "submitted"));
});

taskRoutes.post("/tasks/:id/claim", async (c) => {
	const user = requireUser(c);
	const taskId = c.req.param("id");
	const { view, processId } = await visibleTask(c.env, user, taskId);
	const task = taskOf(view, taskId);
	const ref = taskRef(view, task);
	if (task.assignee === user.id && canActOnTask(user, ref)) return redirect(c, taskHref(taskId));
	if (!canClaimTask(user, ref) || view.state.status !== "STARTED") {
		throw new AppError(
			"conflict",
			"This task cannot be claimed now: it has ended or is not in your roles.",
		);
	}
	// The engine checks the claim again (a member of the task's role, for themselves) and records
	// who claimed it in the history.
	const command: Command = { type: "AssignTask", taskId, assignee: user.id, actor: toActor(user) };
	unwrap(
		await processStub(c.env, processId).execute(
			command,
			`claim:${taskId}:${user.id}:${task.assignee ?? "none"}`,
		),
	);
	return redirect(c, withNotice(taskHref(taskId), "claimed"));
});

taskRoutes.post("/tasks/:id/retry", (c) =>
	adminAct(c, "retried", (taskId, user) => ({ type: "RetryTask", taskId, actor: toActor(user) })),
);

taskRoutes.post("/tasks/:id/revoke", (c) =>
	adminAct(c, "revoked", (taskId, user) => ({ type: "RevokeTask", taskId, actor: toActor(user) })),
);

/**
 * An admin's act on a task. From the process page with htmx, the answer is the page's live part
 * and a notice; otherwise a redirect back (the process or task page).
 */
async function adminAct(
	c: Context<AppEnv>,
	notice: "retried" | "revoked",
	command: (taskId: string, user: CurrentUser) => Command,
): Promise<Response> {
	const user = requireUser(c);
	const taskId = c.req.param("id") as string;
	const { view, processId } = await visibleTask(c.env, user, taskId);
	if (!isAdmin(user)) throw new AppError("forbidden", "Only administrators may do this.");
	const task = taskOf(view, taskId);
	unwrap(
		await processStub(c.env, processId).execute(
			command(taskId, user),
			`${notice}:${taskId}:${task.attempt}:${task.status}`,
		),
	);
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
