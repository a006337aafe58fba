// The join of comments and notifications: a comment that mentions people (src/comments) has each
// of them told (NT "mentioned", docs/notifications.md), with the comment quoted and its author
// named as people know them. Registered once by the Worker entry.
import { whenMentioned } from "../comments/mentions.ts";
import { findComment } from "../comments/store.ts";
import { findUserById } from "../db/people.ts";
import { notifyMentioned } from "./mentions.ts";

export function tellMentionedPeople(): void {
	whenMentioned(async (env, event) => {
		const [comment, author] = await Promise.all([
			findComment(env.DB, event.commentId),
			findUserById(env.DB, event.authorId),
		]);
		if (!comment) return;
		await notifyMentioned(env, {
			userIds: event.userIds,
			by: { id: event.authorId, name: author?.displayName ?? "Someone" },
			processId: event.processId,
			...(event.taskId ? { taskId: event.taskId } : {}),
			commentId: event.commentId,
			text: comment.body,
		});
	});
}
