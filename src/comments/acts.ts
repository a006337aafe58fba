// Comments and their files, as pages and the API ask for them: find what is commented on through
// access.ts (a task the viewer may not see is not_found), check the text and every file, store the
// files then the comment, and announce new mentions. Editing is for the author, within the window.

import { checkUpload, MAX_FILES_PER_COMMENT } from "../attachments/limits.ts";
import { type AttachmentRow, saveAttachment } from "../attachments/store.ts";
import type { CurrentUser } from "../auth/current-user.ts";
import { hasScope } from "../auth/current-user.ts";
import type { ProcessView } from "../durable/process-view.ts";
import { EngineError } from "../engine/index.ts";
import { AppError } from "../errors.ts";
import { visibleProcess, visibleTask } from "../processes/access.ts";
import { announceMentions, type MentionEvent } from "./mentions.ts";
import {
	addComment,
	type CommentRow,
	editComment,
	findComment,
	mentionablePeople,
	newCommentId,
} from "./store.ts";
import { cleanCommentText, EDIT_WINDOW_MS, MAX_COMMENT_CHARS, mentionsIn } from "./text.ts";

/** What a comment is on: a task, or its process as a whole. */
export type CommentTarget = { taskId: string } | { processId: string };

export interface Posted {
	comment: CommentRow;
	files: AttachmentRow[];
	/** The mentions to announce (the route passes the promise to waitUntil). */
	announced: Promise<void>;
}

/** The process the target belongs to, if the user may see the target; else not_found. */
export async function targetProcess(
	env: Env,
	user: CurrentUser,
	target: CommentTarget,
): Promise<{ view: ProcessView; processId: string; taskId: string | null }> {
	if ("taskId" in target) {
		const { view, processId } = await visibleTask(env, user, target.taskId);
		return { view, processId, taskId: target.taskId };
	}
	const view = await visibleProcess(env, user, target.processId);
	return { view, processId: target.processId, taskId: null };
}

/** An uploaded file refused: 413 when too large, 415 for a kind Baton does not keep. */
export function refusedFile(file: { name: string; size: number }): AppError | null {
	const check = checkUpload(file);
	if (check.ok) return null;
	const code =
		check.code === "too_large"
			? "payload_too_large"
			: check.code === "forbidden_type"
				? "unsupported_media_type"
				: "invalid_params";
	return new AppError(code, check.message, { fields: { files: check.message } });
}

function checkText(body: string, hasFiles: boolean): void {
	if (body === "" && !hasFiles) {
		throw new AppError("invalid_params", "Write a comment or attach a file.", {
			fields: { body: "Write a comment or attach a file." },
		});
	}
	if (body.length > MAX_COMMENT_CHARS) {
		const message = `A comment may have at most ${MAX_COMMENT_CHARS.toLocaleString("en")} characters.`;
		throw new AppError("invalid_params", message, { fields: { body: message } });
	}
}

/**
 * Whoever may see the task (or the process) may comment on it; a token needs tasks:write (or
 * processes:write for a process). Everything is checked before anything is stored.
 */
export async function postComment(
	env: Env,
	user: CurrentUser,
	target: CommentTarget,
	rawBody: string,
	files: File[],
	now: number,
): Promise<Posted> {
	const { view, processId, taskId } = await targetProcess(env, user, target);
	if (!hasScope(user, taskId ? "tasks:write" : "processes:write")) {
		throw new EngineError("forbidden", "This token may not write comments.");
	}
	const body = cleanCommentText(rawBody);
	const real = files.filter((f) => f.size > 0 || f.name !== "");
	checkText(body, real.length > 0);
	if (real.length > MAX_FILES_PER_COMMENT) {
		const message = `Attach at most ${MAX_FILES_PER_COMMENT} files to one comment.`;
		throw new AppError("invalid_params", message, { fields: { files: message } });
	}
	for (const file of real) {
		const refused = refusedFile(file);
		if (refused) throw refused;
	}
	const people = await mentionablePeople(env.DB, view.definition);
	const mentions = mentionsIn(body, people);
	const id = newCommentId();
	const stored: AttachmentRow[] = [];
	for (const file of real) {
		const check = checkUpload(file);
		if (!check.ok) continue;
		stored.push(
			await saveAttachment(env, {
				processId,
				taskId,
				commentId: id,
				field: null,
				name: check.name,
				contentType: check.contentType,
				bytes: await file.arrayBuffer(),
				uploadedBy: user.id,
				now,
			}),
		);
	}
	const comment = await addComment(
		env.DB,
		{ processId, taskId, authorId: user.id, body, mentions, now },
		id,
	);
	const announced = announceMentions(env, mentionEvent(comment, mentions, now));
	return { comment, files: stored, announced };
}

function mentionEvent(comment: CommentRow, userIds: string[], at: number): MentionEvent {
	const page = comment.taskId
		? `/tasks/${encodeURIComponent(comment.taskId)}`
		: `/processes/${encodeURIComponent(comment.processId)}`;
	return {
		commentId: comment.id,
		processId: comment.processId,
		taskId: comment.taskId,
		authorId: comment.authorId,
		userIds: userIds.filter((id) => id !== comment.authorId),
		href: `${page}#${comment.id}`,
		at,
	};
}

/** True while the author may still change the comment. */
export function isEditable(comment: CommentRow, userId: string, now: number): boolean {
	return comment.authorId === userId && now - comment.createdAt <= EDIT_WINDOW_MS;
}

/**
 * The author changes their comment within EDIT_WINDOW_MS of writing it (after: conflict); anyone
 * else who may see it is forbidden, anyone who may not gets not_found. Only people newly mentioned
 * are announced.
 */
export async function changeComment(
	env: Env,
	user: CurrentUser,
	commentId: string,
	rawBody: string,
	now: number,
): Promise<{ comment: CommentRow; announced: Promise<void> }> {
	const comment = await findComment(env.DB, commentId);
	if (!comment) throw new EngineError("not_found", "There is no such comment.");
	const target = comment.taskId ? { taskId: comment.taskId } : { processId: comment.processId };
	const { view } = await targetProcess(env, user, target);
	if (
		comment.authorId !== user.id ||
		!hasScope(user, comment.taskId ? "tasks:write" : "processes:write")
	) {
		throw new EngineError("forbidden", "Only its author may change a comment.");
	}
	if (!isEditable(comment, user.id, now)) {
		throw new EngineError(
			"conflict",
			"A comment can be changed for 10 minutes after it is written.",
		);
	}
	const body = cleanCommentText(rawBody);
	checkText(body, true);
	if (body === "") {
		throw new AppError("invalid_params", "Write a comment.", {
			fields: { body: "Write a comment." },
		});
	}
	const mentions = mentionsIn(body, await mentionablePeople(env.DB, view.definition));
	await editComment(env.DB, comment.id, user.id, body, mentions, now);
	const added = mentions.filter((id) => !comment.mentions.includes(id));
	const after = { ...comment, body, mentions, editedAt: now };
	return { comment: after, announced: announceMentions(env, mentionEvent(after, added, now)) };
}
