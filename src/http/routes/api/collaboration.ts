// /api/v1 for working together: hand a task on (H2 unclaim, H3 delegate, H4 reassign), read and
// write comments on a task or a process, edit one's own comment within ten minutes, list a
// process's files and download one. What the caller may not see answers 404; files are uploaded
// through the pages (the API's bodies are JSON of at most 64 KiB).
import { type Context, Hono } from "hono";
import { z } from "zod";
import { changeComment, postComment, targetProcess } from "../../../comments/acts.ts";
import type { CommentRow } from "../../../comments/store.ts";
import { MAX_HAND_OVER_NOTE } from "../../../engine/index.ts";
import { handOverTask } from "../../../processes/hand-over.ts";
import type { AppEnv } from "../../context.ts";
import { requireUser } from "../../middleware/authorize.ts";
import { loadCollaboration } from "../../view-models/comments.ts";
import { downloadAttachment } from "../comments.tsx";
import { readBody, readEmpty } from "./http.ts";
import { defineOperations, notYours, ok, responses } from "./operation.ts";
import { PROCESS_ID, processIdOf } from "./processes.ts";
import { TASK_ID, taskIdOf, taskIdParam } from "./task-path.ts";

const handOverBody = z.strictObject({
	to: z.string().min(1).max(200).nullable().optional().meta({
		description:
			"The user id it goes to (delegate, reassign); null or absent: back to the queue (reassign)",
	}),
	note: z.string().max(MAX_HAND_OVER_NOTE).optional(),
});
const handedOverSchema = z.object({ taskId: z.string(), assignee: z.string().nullable() });
const commentBody = z.strictObject({ body: z.string().min(1).max(5000) });
const fileSchema = z.object({
	id: z.string(),
	name: z.string(),
	size: z.string().meta({ description: "In words, like 12 KB" }),
	href: z.string(),
});
const commentSchema = z.object({
	id: z.string(),
	processId: z.string(),
	taskId: z.string().nullable(),
	authorId: z.string(),
	body: z.string(),
	mentions: z.array(z.string()).meta({ description: "The ids of the users it mentions" }),
	createdAt: z.string(),
	editedAt: z.string().nullable(),
});
const commentListSchema = z.object({
	items: z.array(
		z.object({
			id: z.string(),
			authorName: z.string(),
			body: z.string(),
			createdAt: z.string(),
			edited: z.boolean(),
			taskId: z.string().nullable(),
			files: z.array(fileSchema),
		}),
	),
});
const fileListSchema = z.object({ items: z.array(fileSchema) });

const processIdParam = { processId: "The process id" };
const COMMENT_ID = ":commentId{c-[0-9a-f]+}";

const handOverOp = (kind: "unclaim" | "delegate" | "reassign", summary: string) => ({
	method: "post" as const,
	path: `/api/v1/tasks/{taskId}/${kind}`,
	operationId: `${kind}Task`,
	summary,
	scope: "tasks:write" as const,
	pathParams: taskIdParam,
	...(kind === "unclaim" ? {} : { body: handOverBody }),
	responses: responses({
		200: ok("Handed on; who has it now", handedOverSchema),
		403: "You may see the task but not hand it on this way",
		404: notYours("task"),
		409: "conflict: it no longer waits for a person; suspended: the process is suspended",
		422: "invalid_params: details.fields.to, the person is not a member of the task's role",
	}),
});

export const collaborationOperations = defineOperations("Working together", [
	handOverOp("unclaim", "Give your task back to its role's queue (H2)"),
	handOverOp("delegate", "Hand a task you may act on to another member of its role (H3)"),
	handOverOp("reassign", "Reassign a task: admins and holders of task.reassign (H4)"),
	{
		method: "get",
		path: "/api/v1/tasks/{taskId}/comments",
		operationId: "listTaskComments",
		summary: "The comments on a task, oldest first",
		scope: "read",
		pathParams: taskIdParam,
		responses: responses({ 200: ok("The comments", commentListSchema), 404: notYours("task") }),
	},
	{
		method: "post",
		path: "/api/v1/tasks/{taskId}/comments",
		operationId: "commentOnTask",
		summary: "Comment on a task (plain text; @mentions of people of the process's roles)",
		scope: "tasks:write",
		pathParams: taskIdParam,
		body: commentBody,
		responses: responses({
			201: ok("The comment, with whom it mentions", commentSchema),
			404: notYours("task"),
			422: "invalid_params: empty or longer than 5,000 characters",
		}),
	},
	{
		method: "get",
		path: "/api/v1/processes/{processId}/comments",
		operationId: "listProcessComments",
		summary: "The comments on a process and on the tasks of it you may see, oldest first",
		scope: "read",
		pathParams: processIdParam,
		responses: responses({ 200: ok("The comments", commentListSchema), 404: notYours("process") }),
	},
	{
		method: "post",
		path: "/api/v1/processes/{processId}/comments",
		operationId: "commentOnProcess",
		summary: "Comment on a process as a whole",
		scope: "processes:write",
		pathParams: processIdParam,
		body: commentBody,
		responses: responses({
			201: ok("The comment, with whom it mentions", commentSchema),
			404: notYours("process"),
			422: "invalid_params: empty or longer than 5,000 characters",
		}),
	},
	{
		method: "patch",
		path: "/api/v1/comments/{commentId}",
		operationId: "editComment",
		summary: "Change your own comment, within ten minutes of writing it",
		scope: "tasks:write",
		pathParams: { commentId: "The comment id" },
		body: commentBody,
		responses: responses({
			200: ok("The comment as it is now", commentSchema),
			403: "Not your comment",
			404: "No such comment, or not yours to see",
			409: "conflict: more than ten minutes have passed",
		}),
	},
	{
		method: "get",
		path: "/api/v1/processes/{processId}/files",
		operationId: "listProcessFiles",
		summary: "The files attached to a process and to the tasks of it you may see",
		scope: "read",
		pathParams: processIdParam,
		responses: responses({ 200: ok("The files", fileListSchema), 404: notYours("process") }),
	},
	{
		method: "get",
		path: "/api/v1/files/{fileId}",
		operationId: "downloadFile",
		summary: "Download a file (Content-Disposition: attachment)",
		scope: "read",
		pathParams: { fileId: "The file id (f-…)" },
		responses: responses({
			200: { description: "The file's bytes" },
			404: "No such file, or not yours to see",
		}),
	},
]);

function commentJson(row: CommentRow) {
	return {
		id: row.id,
		processId: row.processId,
		taskId: row.taskId,
		authorId: row.authorId,
		body: row.body,
		mentions: row.mentions,
		createdAt: new Date(row.createdAt).toISOString(),
		editedAt: row.editedAt === null ? null : new Date(row.editedAt).toISOString(),
	};
}

async function handOver(c: Context<AppEnv>, kind: "unclaim" | "delegate" | "reassign") {
	const user = requireUser(c);
	const taskId = taskIdOf(c);
	let input: z.infer<typeof handOverBody> = {};
	if (kind === "unclaim") await readEmpty(c);
	else input = await readBody(c, handOverBody);
	const { task } = await handOverTask(c.env, user, taskId, {
		kind,
		to: input.to ?? null,
		...(input.note ? { note: input.note } : {}),
	});
	return c.json({ taskId: task.id, assignee: task.assignee ?? null });
}

async function listComments(
	c: Context<AppEnv>,
	target: { taskId: string } | { processId: string },
) {
	const user = requireUser(c);
	const { view, taskId } = await targetProcess(c.env, user, target);
	const now = Date.now();
	const { comments } = await loadCollaboration(c.env, user, view, now, taskId ?? undefined);
	return c.json({
		items: comments.map((m) => ({
			id: m.id,
			authorName: m.authorName,
			body: m.body,
			createdAt: m.at.iso,
			edited: m.edited,
			taskId: m.taskId,
			files: m.files.map((f) => ({
				id: f.id,
				name: f.name,
				size: f.size,
				href: `/api/v1/files/${f.id}`,
			})),
		})),
	});
}

async function comment(c: Context<AppEnv>, target: { taskId: string } | { processId: string }) {
	const user = requireUser(c);
	const { body } = await readBody(c, commentBody);
	const posted = await postComment(c.env, user, target, body, [], Date.now());
	c.executionCtx.waitUntil(posted.announced);
	return c.json(commentJson(posted.comment), 201);
}

export const collaborationApi = new Hono<AppEnv>()
	.post(`/tasks/${TASK_ID}/unclaim`, (c) => handOver(c, "unclaim"))
	.post(`/tasks/${TASK_ID}/delegate`, (c) => handOver(c, "delegate"))
	.post(`/tasks/${TASK_ID}/reassign`, (c) => handOver(c, "reassign"))
	.get(`/tasks/${TASK_ID}/comments`, (c) => listComments(c, { taskId: taskIdOf(c) }))
	.post(`/tasks/${TASK_ID}/comments`, (c) => comment(c, { taskId: taskIdOf(c) }))
	.get(`/processes/${PROCESS_ID}/comments`, (c) => listComments(c, { processId: processIdOf(c) }))
	.post(`/processes/${PROCESS_ID}/comments`, (c) => comment(c, { processId: processIdOf(c) }))
	.patch(`/comments/${COMMENT_ID}`, async (c) => {
		const user = requireUser(c);
		const { body } = await readBody(c, commentBody);
		const changed = await changeComment(c.env, user, c.req.param("commentId"), body, Date.now());
		c.executionCtx.waitUntil(changed.announced);
		return c.json(commentJson(changed.comment));
	})
	.get(`/processes/${PROCESS_ID}/files`, async (c) => {
		const user = requireUser(c);
		const { view } = await targetProcess(c.env, user, { processId: processIdOf(c) });
		const { files } = await loadCollaboration(c.env, user, view, Date.now());
		return c.json({
			items: files.map((f) => ({
				id: f.id,
				name: f.name,
				size: f.size,
				href: `/api/v1/files/${f.id}`,
			})),
		});
	})
	.get("/files/:id{f-[0-9a-f]+}", (c) => downloadAttachment(c));
