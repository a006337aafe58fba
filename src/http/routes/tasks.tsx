// A task: GET /tasks/:id (the page and its form), POST /tasks/:id/input (submit the form: T4, then
// the next task or the inbox), POST /tasks/:id/claim (take a task of one's role), and for admins
// POST /tasks/:id/retry and /tasks/:id/revoke; hand-overs: POST /tasks/:id/unclaim (H2), /delegate
// (H3) and /reassign (H4); comments and files: ./comments.tsx. Every POST works as a plain form
// (303) and with htmx.
// The acts are src/processes/acts.ts, shared with the API; this file reads the form and words the
// answers for people.
import { type Context, Hono } from "hono";
import { NoticeFor } from "../../../templates/components.tsx";
import { ProcessLive } from "../../../templates/process.tsx";
import { RacedNotice, TaskForm, TaskPage } from "../../../templates/task.tsx";
import { checkUpload } from "../../attachments/limits.ts";
import { type AttachmentRow, removeAttachment, saveAttachment } from "../../attachments/store.ts";
import { canActOnTask } from "../../auth/permissions.ts";
import { EngineError } from "../../engine/index.ts";
import { nextTaskAfterSubmit } from "../../inbox-live/next-task.ts";
import { taskRef, visibleTask } from "../../processes/access.ts";
import { adminTaskAct, claimTask, submitValues } from "../../processes/acts.ts";
import { handOverTask } from "../../processes/hand-over.ts";
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
import { commentRoutes } from "./comments.tsx";
import { redirect } from "./session.tsx";

export const taskRoutes = new Hono<AppEnv>();
taskRoutes.route("/", commentRoutes);

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
	const { view, task, processId } = found;
	const fields = taskFormOf(view, task).fields;
	const body = (await c.req.parseBody({ all: true })) as PostedBody;
	const { values, typed } = parsePosted(fields, body, task.requiredFields);
	// A file field's upload is checked, then stored before the submit; the value names the file.
	const uploadErrors: Record<string, string> = {};
	const stored: AttachmentRow[] = [];
	for (const field of fields.filter((f) => f.kind === "file")) {
		const posted = body[field.name];
		const file = (Array.isArray(posted) ? posted[0] : posted) as unknown;
		if (!(file instanceof File) || (file.size === 0 && file.name === "")) continue;
		const check = checkUpload(file);
		if (!check.ok) {
			uploadErrors[field.name] = check.message;
			continue;
		}
		if (Object.keys(uploadErrors).length > 0 || !canActOnTask(user, taskRef(view, task))) continue;
		const row = await saveAttachment(c.env, {
			processId,
			taskId,
			commentId: null,
			field: field.name,
			name: check.name,
			contentType: check.contentType,
			bytes: await file.arrayBuffer(),
			uploadedBy: user.id,
			now: Date.now(),
		});
		stored.push(row);
		values[field.name] = { id: row.id, name: row.name, size: row.size };
	}
	const forget = () => Promise.all(stored.map((row) => removeAttachment(c.env, row)));
	if (Object.keys(uploadErrors).length > 0) {
		await forget();
		const page = await loadTaskPage(c.env, user, taskId, Date.now(), {
			nonce: newNonce(),
			typed,
			errors: uploadErrors,
			view,
		});
		c.header("Cache-Control", "no-store");
		return c.html(<TaskPage chrome={chromeOf(c)} view={page} />, 422);
	}
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
		await forget();
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

taskRoutes.post("/tasks/:id/unclaim", (c) => handOver(c, "unclaim"));
taskRoutes.post("/tasks/:id/delegate", (c) => handOver(c, "delegate"));
taskRoutes.post("/tasks/:id/reassign", (c) => handOver(c, "reassign"));

/** H2–H4 from the task page's forms; back to the task page, which says who has it now. */
async function handOver(
	c: Context<AppEnv>,
	kind: "unclaim" | "delegate" | "reassign",
): Promise<Response> {
	const user = requireUser(c);
	const taskId = c.req.param("id") as string;
	const body = await c.req.parseBody();
	const to = typeof body.to === "string" && body.to !== "" ? body.to : null;
	const note = typeof body.note === "string" ? body.note : undefined;
	await handOverTask(c.env, user, taskId, { kind, to, ...(note ? { note } : {}) });
	const notice =
		kind === "unclaim" ? "unclaimed" : kind === "delegate" ? "delegated" : "reassigned";
	return redirect(c, withNotice(taskHref(taskId), notice));
}

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
