// When a comment mentions people, those who want to know are told (issue #17, "Being told"). The
// comment routes announce each new or edited comment's new mentions here; the notifications module
// registers with `whenMentioned` to send them. Announcing never fails the comment: a listener's
// error is logged.

export interface MentionEvent {
	commentId: string;
	processId: string;
	/** Null: a comment on the process itself. */
	taskId: string | null;
	authorId: string;
	/** The users newly mentioned, never the author. */
	userIds: string[];
	/** Where the comment is shown (the task or process page, with its anchor). */
	href: string;
	at: number;
}

export type MentionListener = (env: Env, event: MentionEvent) => Promise<void> | void;

const listeners: MentionListener[] = [];

/** Registers a listener for mentions (once, at module load of the notifications' wiring). */
export function whenMentioned(listener: MentionListener): void {
	if (!listeners.includes(listener)) listeners.push(listener);
}

/** Tells every listener, all at once; returns a promise for `waitUntil`, which never rejects. */
export async function announceMentions(env: Env, event: MentionEvent): Promise<void> {
	if (event.userIds.length === 0) return;
	await Promise.all(
		listeners.map(async (listener) => {
			try {
				await listener(env, event);
			} catch (e) {
				console.error(
					JSON.stringify({
						level: "error",
						where: "mentions",
						commentId: event.commentId,
						error: String(e),
					}),
				);
			}
		}),
	);
}
