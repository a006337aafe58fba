// Turns events into notices: a task row assigned to a person, or waiting unheld in a role's queue,
// becomes one notice per person told; each is stored once (its key), with the channels the person
// chose for its kind, and a flush of that person is queued. People who chose no channel for a kind
// get no row. Sending is deliver.ts's.
import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { memberships, notices, users } from "../db/schema/index.ts";
import { taskHref } from "../http/view-models/format.ts";
import type { AddressedNotice, NotifyMessage } from "./messages.ts";
import { settingsOfMany } from "./settings.ts";

/** The notices a batch of changed task rows calls for: the assignee, else the role's members. */
export async function noticesForTasks(
	db: D1Database,
	m: Extract<NotifyMessage, { type: "tasks" }>,
): Promise<AddressedNotice[]> {
	const where = m.processName ?? m.processId;
	const queuedRoles = [
		...new Set(m.tasks.filter((t) => !t.assignee && t.role).map((t) => t.role as string)),
	];
	const members = await activeMembers(db, queuedRoles);
	const out: AddressedNotice[] = [];
	for (const t of m.tasks) {
		const base = { processId: m.processId, taskId: t.id, path: taskHref(t.id) };
		if (t.assignee) {
			out.push({
				...base,
				key: `assigned:${t.id}:${t.assignee}`,
				userId: t.assignee,
				kind: "assigned",
				text: `“${t.nodeName}” in ${where} is assigned to you`,
			});
		} else if (t.role) {
			for (const userId of members.get(t.role) ?? []) {
				out.push({
					...base,
					key: `queued:${t.id}:${userId}`,
					userId,
					kind: "queued",
					text: `“${t.nodeName}” in ${where} waits in your role's queue`,
				});
			}
		}
	}
	return out;
}

export async function activeMembers(
	db: D1Database,
	roles: string[],
): Promise<Map<string, string[]>> {
	const out = new Map<string, string[]>();
	if (roles.length === 0) return out;
	const rows = await drizzle(db)
		.select({ role: memberships.roleKey, userId: users.id })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(inArray(memberships.roleKey, roles), eq(users.active, true)));
	for (const r of rows) out.set(r.role, [...(out.get(r.role) ?? []), r.userId]);
	return out;
}

/**
 * Stores the notices each person wants (a replayed event's key is already there: nothing new) and
 * answers the people who have something to send, for a flush each.
 */
export async function recordNotices(
	db: D1Database,
	list: readonly AddressedNotice[],
	now: number,
): Promise<string[]> {
	if (list.length === 0) return [];
	const settings = await settingsOfMany(
		db,
		list.map((n) => n.userId),
	);
	const rows = list.flatMap((n) => {
		const channels = settings.get(n.userId)?.choices[n.kind] ?? [];
		if (channels.length === 0) return [];
		return [{ ...n, channels: JSON.stringify(channels), createdAt: now, deliveryId: null }];
	});
	if (rows.length === 0) return [];
	const d = drizzle(db);
	// One statement per notice (D1's 100 bound parameters), all in one batch.
	const [first, ...rest] = rows.map((row) => d.insert(notices).values(row).onConflictDoNothing());
	if (first) await d.batch([first, ...rest]);
	return [...new Set(rows.map((r) => r.userId))];
}
