// The kinds of notice, the channels they go to, each person's choices and the digest rule. Pure:
// the account page, the recorder and the unit tests read the same rules.
import { z } from "zod";

/** What a person can be told about. */
export const NOTICE_KINDS = ["assigned", "queued", "due", "mentioned"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const CHANNELS = ["email", "webhook"] as const;
export type Channel = (typeof CHANNELS)[number];

export type Choices = Record<NoticeKind, Channel[]>;

/** The words the account page shows for each kind. */
export const KIND_LABELS: Record<NoticeKind, { label: string; hint: string }> = {
	assigned: { label: "A task is assigned to me", hint: "including tasks handed on to you" },
	queued: {
		label: "A task waits in my role's queue",
		hint: "a task of one of your roles that nobody holds",
	},
	due: {
		label: "My task is due soon or overdue",
		hint: "a day before its due date, and when it passes",
	},
	mentioned: { label: "Someone mentions me", hint: "an @mention in a comment" },
};

/** A person without saved choices is told everything by email. */
export const DEFAULT_CHOICES: Choices = {
	assigned: ["email"],
	queued: ["email"],
	due: ["email"],
	mentioned: ["email"],
};

const choicesSchema = z.record(z.string(), z.array(z.enum(CHANNELS)));

/** Saved choices as stored (JSON), completed with the defaults for kinds added since. */
export function parseChoices(json: string | null | undefined): Choices {
	if (!json) return { ...DEFAULT_CHOICES };
	let raw: unknown;
	try {
		raw = JSON.parse(json);
	} catch {
		return { ...DEFAULT_CHOICES };
	}
	const parsed = choicesSchema.safeParse(raw);
	const out = { ...DEFAULT_CHOICES };
	if (!parsed.success) return out;
	for (const kind of NOTICE_KINDS) {
		const chosen = parsed.data[kind];
		if (chosen) out[kind] = [...new Set(chosen)];
	}
	return out;
}

/**
 * The digest rule: a person gets at most one delivery (one mail, one webhook post) per window,
 * DIGEST_WINDOW_MS unless the deployment sets NOTIFY_DIGEST_MINUTES. The first notice after a
 * quiet window goes out at once; notices that arrive within the window of the last delivery wait,
 * and all of them go out together, in one digest, when that window ends.
 */
export const DIGEST_WINDOW_MS = 5 * 60_000;

/** The window a deployment chose (NOTIFY_DIGEST_MINUTES, 0 to 60), else DIGEST_WINDOW_MS. */
export function digestWindowMs(env: { NOTIFY_DIGEST_MINUTES?: string }): number {
	const raw = env.NOTIFY_DIGEST_MINUTES;
	const minutes = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
	return Number.isInteger(minutes) && minutes >= 0 && minutes <= 60
		? minutes * 60_000
		: DIGEST_WINDOW_MS;
}

/** When the next delivery to a person may leave: now, or the end of the last one's window. */
export function nextDeliveryAt(
	lastDeliveryAt: number | null,
	now: number,
	windowMs = DIGEST_WINDOW_MS,
): number {
	if (lastDeliveryAt === null) return now;
	return Math.max(now, lastDeliveryAt + windowMs);
}

/** How long before its due date a task is "due soon". */
export const DUE_SOON_MS = 24 * 60 * 60_000;

/** The due notice a task's due date calls for at `now`, if any. */
export function dueNoticeKind(dueAt: number, now: number): "due-soon" | "overdue" | null {
	if (dueAt <= now) return "overdue";
	if (dueAt - now <= DUE_SOON_MS) return "due-soon";
	return null;
}

/** What a mail or a webhook post says about a list of notices. */
export interface Notice {
	kind: NoticeKind;
	text: string;
	/** An absolute URL, or a path when the deployment's origin is not known. */
	link: string;
}

/** The subject and plain text of one delivery: one notice, or a digest of several. */
export function composeMessage(notices: readonly Notice[]): { subject: string; text: string } {
	const first = notices[0];
	if (notices.length === 1 && first) {
		return { subject: first.text, text: `${first.text}\n\n${first.link}\n` };
	}
	const lines = notices.map((n) => `- ${n.text}\n  ${n.link}`);
	return {
		subject: `Baton: ${notices.length} things for you`,
		text: `${notices.length} things happened in Baton since the last message:\n\n${lines.join("\n")}\n`,
	};
}

/**
 * The JSON an incoming webhook takes: `text` is what both Slack's incoming webhooks and Teams'
 * (Office 365 connector and Workflows "post to a channel when a webhook request is received")
 * show; `summary` is Teams' notification preview.
 */
export function webhookBody(notices: readonly Notice[]): { text: string; summary: string } {
	const { subject, text } = composeMessage(notices);
	return { text, summary: subject };
}
