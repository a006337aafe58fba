// Comments and files on the pages: POST /tasks/:id/comments and /processes/:id/comments (text and
// files, multipart), POST /comments/:id (its author edits it, within the window), and
// GET /attachments/:id (a download, for whoever may see the task or the process). A refused
// comment comes back on its page with what was typed and why (413, 415, 422).
import { type Context, Hono } from "hono";
import { ProcessPage } from "../../../templates/process.tsx";
import { TaskPage } from "../../../templates/task.tsx";
import { findAttachment, objectKey } from "../../attachments/store.ts";
import { changeComment, postComment, targetProcess } from "../../comments/acts.ts";
import { findComment } from "../../comments/store.ts";
import { EngineError } from "../../engine/index.ts";
import { AppError, statusOf } from "../../errors.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware/authorize.ts";
import { processHref, taskHref } from "../view-models/format.ts";
import { loadProcessPage, loadTaskPage } from "../view-models/loaders.ts";
import { chromeOf, newNonce } from "../view-models/page-context.ts";
import { redirect } from "./session.tsx";

export const commentRoutes = new Hono<AppEnv>();

/** The posted text and files of a comment form. */
async function readCommentForm(c: Context<AppEnv>): Promise<{ body: string; files: File[] }> {
	const form = await c.req.parseBody({ all: true });
	const raw = form.body;
	const body =
		typeof raw === "string" ? raw : Array.isArray(raw) && typeof raw[0] === "string" ? raw[0] : "";
	const list =
		form.files === undefined ? [] : Array.isArray(form.files) ? form.files : [form.files];
	const files = list.filter((f): f is File => f instanceof File && (f.size > 0 || f.name !== ""));
	return { body, files };
}

/** A refusal worth showing next to the form; anything else (404, a bug) goes on as thrown. */
function refusalOf(e: unknown): AppError | EngineError | null {
	if (!(e instanceof AppError) && !(e instanceof EngineError)) return null;
	return ["invalid_params", "payload_too_large", "unsupported_media_type"].includes(e.code)
		? e
		: null;
}

commentRoutes.post("/tasks/:id/comments", async (c) => {
	const user = requireUser(c);
	const taskId = c.req.param("id");
	const { body, files } = await readCommentForm(c);
	try {
		const { comment, announced } = await postComment(
			c.env,
			user,
			{ taskId },
			body,
			files,
			Date.now(),
		);
		c.executionCtx.waitUntil(announced);
		return redirect(c, `${taskHref(taskId)}#${comment.id}`);
	} catch (e) {
		const refused = refusalOf(e);
		if (!refused) throw e;
		const view = await loadTaskPage(c.env, user, taskId, Date.now(), {
			nonce: newNonce(),
			commentRefused: { typed: body, error: refused.message },
		});
		c.header("Cache-Control", "no-store");
		return c.html(<TaskPage chrome={chromeOf(c)} view={view} />, statusOf(refused.code) as 413);
	}
});

commentRoutes.post("/processes/:id/comments", async (c) => {
	const user = requireUser(c);
	const processId = c.req.param("id");
	const { body, files } = await readCommentForm(c);
	try {
		const { comment, announced } = await postComment(
			c.env,
			user,
			{ processId },
			body,
			files,
			Date.now(),
		);
		c.executionCtx.waitUntil(announced);
		return redirect(c, `${processHref(processId)}#${comment.id}`);
	} catch (e) {
		const refused = refusalOf(e);
		if (!refused) throw e;
		const view = await loadProcessPage(c.env, user, processId, Date.now(), {
			typed: body,
			error: refused.message,
		});
		c.header("Cache-Control", "no-store");
		return c.html(<ProcessPage chrome={chromeOf(c)} view={view} />, statusOf(refused.code) as 413);
	}
});

commentRoutes.post("/comments/:id", async (c) => {
	const user = requireUser(c);
	const form = await c.req.parseBody();
	const body = typeof form.body === "string" ? form.body : "";
	const { comment, announced } = await changeComment(
		c.env,
		user,
		c.req.param("id"),
		body,
		Date.now(),
	);
	c.executionCtx.waitUntil(announced);
	const page = comment.taskId ? taskHref(comment.taskId) : processHref(comment.processId);
	return redirect(c, `${page}#${comment.id}`);
});

commentRoutes.get("/attachments/:id", async (c) => downloadAttachment(c));

/**
 * A file, for whoever may see what it is attached to (the task; the process for a process
 * comment's file), else 404. Always a download (`attachment`), never rendered in the page's origin.
 */
export async function downloadAttachment(c: Context<AppEnv>): Promise<Response> {
	const user = requireUser(c);
	const row = await findAttachment(c.env.DB, c.req.param("id") ?? "");
	if (!row) throw new EngineError("not_found", "There is no such file.");
	if (row.commentId && !(await findComment(c.env.DB, row.commentId))) {
		throw new EngineError("not_found", "There is no such file.");
	}
	await targetProcess(
		c.env,
		user,
		row.taskId ? { taskId: row.taskId } : { processId: row.processId },
	);
	const object = await c.env.FILES.get(objectKey(row));
	if (!object) throw new EngineError("not_found", "The file is no longer kept.");
	const ascii = row.name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
	return new Response(object.body, {
		headers: {
			"Content-Type": row.contentType,
			"Content-Length": String(row.size),
			"Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.name)}`,
			"X-Content-Type-Options": "nosniff",
			"Content-Security-Policy": "default-src 'none'; sandbox",
			"Cache-Control": "private, no-store",
		},
	});
}
