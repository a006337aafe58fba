// Mentions (issue #17's comments): the comments module calls notifyMentioned after it stored a
// comment; each person mentioned (but its author) gets one "mentioned" notice, through the queue,
// so the comment's request never waits on it. The notice's key is the comment and the person, so a
// retried or edited comment tells nobody twice.
import { processHref, taskHref } from "../http/view-models/format.ts";
import type { AddressedNotice, NotifyQueue } from "./messages.ts";

/** The most of a comment quoted in a notice. */
const EXCERPT_CHARS = 140;

export interface Mention {
	/** The people mentioned (user ids); the author is left out. */
	userIds: readonly string[];
	/** Who wrote the comment. */
	by: { id: string; name: string };
	processId: string;
	taskId?: string;
	commentId: string;
	/** The comment's text, quoted (shortened) in the notice. */
	text: string;
}

export function mentionNotices(m: Mention): AddressedNotice[] {
	const flat = m.text.replace(/\s+/g, " ").trim();
	const excerpt = flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
	const base = m.taskId ? taskHref(m.taskId) : processHref(m.processId);
	return [...new Set(m.userIds)]
		.filter((id) => id !== m.by.id)
		.map((userId) => ({
			key: `mentioned:${m.commentId}:${userId}`,
			userId,
			kind: "mentioned" as const,
			processId: m.processId,
			taskId: m.taskId ?? null,
			text: `${m.by.name} mentioned you: “${excerpt}”`,
			path: `${base}#comment-${encodeURIComponent(m.commentId)}`,
		}));
}

/** Queues the mention notices (at most 100 people per call are told). */
export async function notifyMentioned(env: { NOTIFY: NotifyQueue }, m: Mention): Promise<void> {
	const notices = mentionNotices(m).slice(0, 100);
	if (notices.length > 0) await env.NOTIFY.send({ type: "notices", notices });
}
