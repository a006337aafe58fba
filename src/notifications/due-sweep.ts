// The due-date sweep, on each Cron Trigger tick: a task waiting for a person that falls due within
// DUE_SOON_MS is noted "due soon", one past its due date "overdue", each once per due date (the
// key in `due_notices`; a moved due date is a new event). Its assignee is told, or, unheld, its
// role's members. Bounded per tick; what is left is found by the next tick.
import { drizzle } from "drizzle-orm/d1";
import { dueTasksToNote } from "../db/process-index-notify.ts";
import { dueNotices } from "../db/schema/index.ts";
import { taskHref } from "../http/view-models/format.ts";
import { DUE_SOON_MS, dueNoticeKind } from "./kinds.ts";
import type { AddressedNotice } from "./messages.ts";
import { activeMembers } from "./record.ts";

/** At most this many tasks are noted per tick. */
const SWEEP_LIMIT = 100;
/** A task overdue for longer than this when first seen is not announced (old data, a new deploy). */
const OVERDUE_LOOKBACK_MS = 7 * 24 * 60 * 60_000;

function utc(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Notes the due events of this tick; answers how many tasks were noted. */
export async function sweepDueTasks(
	env: { DB: D1Database; NOTIFY: Queue },
	now: number,
): Promise<number> {
	const found = await dueTasksToNote(env.DB, {
		now,
		soonMs: DUE_SOON_MS,
		lookbackMs: OVERDUE_LOOKBACK_MS,
		limit: SWEEP_LIMIT,
	});
	if (found.length === 0) return 0;
	const members = await activeMembers(env.DB, [
		...new Set(found.filter((r) => !r.assignee && r.role).map((r) => r.role as string)),
	]);
	const keys: string[] = [];
	const list: AddressedNotice[] = [];
	for (const r of found) {
		const kind = dueNoticeKind(r.dueAt, now) ?? "due-soon";
		const key = `${kind}:${r.id}:${r.dueAt}`;
		keys.push(key);
		const where = r.processName ?? r.processId;
		const text =
			kind === "overdue"
				? `“${r.nodeName}” in ${where} is overdue: it was due ${utc(r.dueAt)}`
				: `“${r.nodeName}” in ${where} is due ${utc(r.dueAt)}`;
		const people = r.assignee ? [r.assignee] : (members.get(r.role ?? "") ?? []);
		for (const userId of people) {
			list.push({
				key: `due:${key}:${userId}`,
				userId,
				kind: "due",
				processId: r.processId,
				taskId: r.id,
				text,
				path: taskHref(r.id),
			});
		}
	}
	// Queued before the events are recorded: a crash in between queues them again next tick, and
	// the notices' keys make the second copy a no-op.
	for (let i = 0; i < list.length; i += 100) {
		await env.NOTIFY.send({ type: "notices", notices: list.slice(i, i + 100) });
	}
	const d = drizzle(env.DB);
	const [first, ...rest] = keys.map((key) =>
		d.insert(dueNotices).values({ key, createdAt: now }).onConflictDoNothing(),
	);
	if (first) await d.batch([first, ...rest]);
	return found.length;
}
