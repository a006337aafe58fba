// The notices a page shows after a redirect (`?notice=<code>`), one table per area of the site.
// The text is always chosen here by a fixed code, never taken from the URL.

const WORK = {
	submitted: "Thank you, your answers were submitted.",
	claimed: "The task is yours now.",
	started: "The process has started.",
	"started-ended": "The process started and has already ended: its status is below.",
	stopped: "The process was stopped.",
	retried: "The task was given a new attempt.",
	revoked: "The task was revoked.",
	suspended: "The process was suspended.",
	resumed: "The process was resumed.",
	corrected: "The value was corrected.",
	unclaimed: "The task is back in its role's queue.",
	delegated: "The task was handed on.",
	reassigned: "The task was reassigned.",
	// The inbox's bulk claim and saved filters.
	"claim-choose": "Tick the tasks to claim first.",
	"claimed-all": "The tasks are yours now.",
	"claimed-some":
		"Some of the tasks are yours now; the others were taken by someone else or ended.",
	"claimed-none": "None of the tasks could be claimed: someone else took them or they ended.",
	"filter-saved": "The filter was saved; its link below can be shared.",
	"filter-limit": "You have saved as many filters as you may; delete one first.",
	"filter-deleted": "The saved filter was deleted.",
};

const ADMIN = {
	saved: "Your change was saved.",
	published: "The workflow was published.",
	discarded: "The draft was discarded.",
	"draft-started": "A new draft was started.",
	created: "Created.",
	imported: "Imported as a draft: check the report, then publish.",
	updated: "Saved.",
	"password-set": "The password was set; the user's sessions were ended.",
	deactivated: "The user was deactivated and signed out everywhere.",
	activated: "The user can sign in again.",
	retried: WORK.retried,
	revoked: WORK.revoked,
	stopped: WORK.stopped,
	assigned: "The task was reassigned.",
	"budget-raised": "The step budget was raised and the process resumed.",
	resolved: "The incident was marked resolved.",
};

const WEBHOOKS = {
	updated: "The settings were saved.",
	replayed: "The delivery was replayed and accepted.",
	deleted: "The trigger was deleted.",
	"replay-refused": "The replay was refused again; the newest delivery below says why.",
};

const NOTICES: Record<NoticeArea, Record<string, string>> = {
	work: WORK,
	admin: ADMIN,
	webhooks: WEBHOOKS,
};

/** Work pages, the admin pages, and the admin pages of webhooks (whose `updated` says more). */
export type NoticeArea = "work" | "admin" | "webhooks";

/** The text of a notice code in `area`; undefined for a code that is not one of ours. */
export function noticeTextIn(area: NoticeArea, code: string | undefined): string | undefined {
	const table = NOTICES[area];
	return code !== undefined && Object.hasOwn(table, code) ? table[code] : undefined;
}

/**
 * The notice of a process page: "started" only while the process runs. A process that failed (or
 * finished) by the time its page is read says so instead of "The process has started."
 */
export function processNotice(code: string | undefined, isFinished: boolean): string | undefined {
	return code === "started" && isFinished ? "started-ended" : code;
}
