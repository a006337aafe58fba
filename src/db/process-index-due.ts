// H1: the inbox's due filters and orders, and the dates each filter keeps. Pure (no D1), so the
// pages' view models and the unit tests read the same rule the inbox query applies.

/** H1: the inbox's date filters. */
export const DUE_FILTERS = ["overdue", "today", "week", "follow-up"] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

/**
 * The inbox's orders: priority then age (the default), due date, age (oldest or newest first),
 * workflow name or process name, each then by priority and age.
 */
export const INBOX_SORTS = ["priority", "due", "oldest", "newest", "workflow", "process"] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

const DAY_MS = 86_400_000;

/**
 * The dates a due filter keeps, as a half-open range [from, before) over the due date (or, for
 * `follow-up`, the follow-up date). Days and weeks are UTC, Monday to Sunday, like every date the
 * pages show; "today" and "this week" include what fell due earlier in them.
 */
export function dueRange(
	due: DueFilter,
	now: number,
): { column: "due" | "followUp"; from?: number; before: number } {
	const today = Math.floor(now / DAY_MS) * DAY_MS;
	switch (due) {
		case "overdue":
			return { column: "due", before: now + 1 };
		case "today":
			return { column: "due", from: today, before: today + DAY_MS };
		case "week": {
			// 1970-01-01 was a Thursday: day 0 of the epoch is weekday 3 counted from Monday.
			const monday = today - ((Math.floor(now / DAY_MS) + 3) % 7) * DAY_MS;
			return { column: "due", from: monday, before: monday + 7 * DAY_MS };
		}
		case "follow-up":
			return { column: "followUp", before: now + 1 };
	}
}
