// Comments and files as the task and process pages show them: only those on what the viewer may
// see (the process, and the tasks they may see), the text cut into safe pieces, who wrote it, and
// whether the viewer may still edit it. Loading reads D1; the shaping below it is pure.

import { ALLOWED_EXTENSIONS, MAX_FILE_BYTES, megabytes } from "../../attachments/limits.ts";
import { type AttachmentRow, listAttachments } from "../../attachments/store.ts";
import type { CurrentUser } from "../../auth/current-user.ts";
import { canSeeTask } from "../../auth/permissions.ts";
import { type CommentRow, listComments, mentionablePeople } from "../../comments/store.ts";
import { EDIT_WINDOW_MS, type Mentionable, type Piece, piecesOf } from "../../comments/text.ts";
import { userNames } from "../../db/people.ts";
import type { ProcessView } from "../../durable/process-view.ts";
import { findNodeDefinition } from "../../engine/index.ts";
import { taskRef } from "../../processes/access.ts";
import { type Moment, moment, taskHref } from "./format.ts";

export interface FileView {
	id: string;
	name: string;
	size: string;
	href: string;
	byName: string;
	at: Moment;
	/** Where it was attached: "Comment on Review" or the field's name on a task. */
	where: string;
	taskHref?: string;
}

export interface CommentView {
	id: string;
	/** The task it is about; null for a comment on the process. */
	taskId: string | null;
	authorName: string;
	isMine: boolean;
	pieces: Piece[];
	body: string;
	at: Moment;
	edited: boolean;
	/** The author may still edit it (the window of EDIT_WINDOW_MS). */
	canEdit: boolean;
	editAction: string;
	files: FileView[];
	/** On the process page: the task it is about, if any. */
	task?: { name: string; href: string };
}

export interface CommentFormView {
	action: string;
	/** What the person had typed, when the comment came back refused. */
	typed: string;
	error?: string;
	accept: string;
	maxSize: string;
	/** The people who may be mentioned, as the handles to type. */
	mentionable: { handle: string; name: string }[];
}

export interface Collaboration {
	comments: CommentView[];
	files: FileView[];
	people: Mentionable[];
}

export function fileHref(id: string): string {
	return `/attachments/${id}`;
}

/**
 * The comments and files of a process the viewer may see: those on the process itself and on
 * tasks they may see; with `taskId`, only that task's.
 */
export async function loadCollaboration(
	env: Env,
	viewer: CurrentUser,
	view: ProcessView,
	now: number,
	taskId?: string,
): Promise<Collaboration> {
	const processId = view.state.id;
	const [rows, fileRows, people] = await Promise.all([
		listComments(env.DB, processId),
		listAttachments(env.DB, processId),
		mentionablePeople(env.DB, view.definition),
	]);
	const seen = new Map(
		view.state.tasks.map((t) => [t.id, canSeeTask(viewer, taskRef(view, t))] as const),
	);
	const visible = (tid: string | null) =>
		taskId !== undefined ? tid === taskId : tid === null || seen.get(tid) === true;
	const comments = rows.filter((r) => visible(r.taskId));
	const files = fileRows.filter((f) => visible(f.taskId));
	const names = await userNames(env.DB, [
		...comments.map((c) => c.authorId),
		...files.map((f) => f.uploadedBy),
	]);
	return shapeCollaboration(
		view,
		comments,
		files,
		people,
		names,
		viewer.id,
		now,
		taskId === undefined,
	);
}

/** Pure: the rows as the pages show them. */
export function shapeCollaboration(
	view: ProcessView,
	comments: CommentRow[],
	files: AttachmentRow[],
	people: Mentionable[],
	names: Map<string, string>,
	viewerId: string,
	now: number,
	/** On the process page each comment names its task; on the task page that goes without saying. */
	namesTasks = true,
): Collaboration {
	const nodeName = (tid: string | null) => {
		const task = tid ? view.state.tasks.find((t) => t.id === tid) : undefined;
		if (!task) return undefined;
		return findNodeDefinition(view.definition, task.node)?.name ?? task.node;
	};
	const fileViews = files.map((f): FileView => {
		const name = nodeName(f.taskId);
		const v: FileView = {
			id: f.id,
			name: f.name,
			size: megabytes(f.size),
			href: fileHref(f.id),
			byName: names.get(f.uploadedBy) ?? f.uploadedBy,
			at: moment(f.createdAt, now),
			where: f.commentId
				? `Comment${name ? ` on ${name}` : " on the process"}`
				: `${name ?? "Task"}: ${f.field ?? "file"}`,
		};
		if (f.taskId) v.taskHref = taskHref(f.taskId);
		return v;
	});
	const commentViews = comments.map((c): CommentView => {
		const v: CommentView = {
			id: c.id,
			taskId: c.taskId,
			authorName: names.get(c.authorId) ?? c.authorId,
			isMine: c.authorId === viewerId,
			pieces: piecesOf(c.body, people),
			body: c.body,
			at: moment(c.createdAt, now),
			edited: c.editedAt !== null,
			canEdit: c.authorId === viewerId && now - c.createdAt <= EDIT_WINDOW_MS,
			editAction: `/comments/${c.id}`,
			files: fileViews.filter((f) => files.find((r) => r.id === f.id)?.commentId === c.id),
		};
		const name = nodeName(c.taskId);
		if (namesTasks && c.taskId && name) v.task = { name, href: taskHref(c.taskId) };
		return v;
	});
	return { comments: commentViews, files: fileViews, people };
}

/** The comment form of a task or a process page. */
export function commentForm(
	action: string,
	people: Mentionable[],
	refused?: { typed: string; error: string },
): CommentFormView {
	const form: CommentFormView = {
		action,
		typed: refused?.typed ?? "",
		accept: ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(","),
		maxSize: megabytes(MAX_FILE_BYTES),
		mentionable: people.map((p) => ({ handle: `@${p.email.split("@")[0]}`, name: p.displayName })),
	};
	if (refused) form.error = refused.error;
	return form;
}
