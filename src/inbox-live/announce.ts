// Tells the live inboxes (one Tasklist object per person) that tasks changed: the tasks' assignees,
// the members of their roles (whose queues list them) and, for incidents, the administrators (whose
// "Needs attention" lists them). Best effort: an inbox that misses one still shows the change on
// its next refetch, so a failure here is logged and never fails the outbox drain that calls it.
import { and, eq, inArray, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { TaskRow } from "../db/process-index.ts";
import { memberships, users } from "../db/schema/index.ts";
import { type TaskChange, taskChangesOf } from "./changes.ts";
import { tasklistOf } from "./tasklist.ts";

/** After the D1 index holds these task rows: each person concerned hears of their changes. */
export async function announceTaskChanges(env: Env, rows: TaskRow[]): Promise<void> {
	const changes = taskChangesOf(rows);
	if (changes.length === 0) return;
	try {
		const byUser = await recipientsOf(env.DB, changes);
		await Promise.all(
			[...byUser].map(([userId, theirs]) => tasklistOf(env, userId).announce(theirs)),
		);
	} catch (e) {
		console.warn("live inbox: an announcement was not delivered", e);
	}
}

/** Each person concerned, with the changes that concern them. */
async function recipientsOf(
	db: D1Database,
	changes: TaskChange[],
): Promise<Map<string, TaskChange[]>> {
	const roles = [...new Set(changes.flatMap((c) => (c.role ? [c.role] : [])))];
	const hasIncident = changes.some((c) => c.hasIncident);
	const people =
		roles.length > 0 || hasIncident
			? await drizzle(db)
					.selectDistinct({ id: users.id, isAdmin: users.isAdmin, role: memberships.roleKey })
					.from(users)
					.leftJoin(memberships, eq(memberships.userId, users.id))
					.where(
						and(
							eq(users.active, true),
							or(
								roles.length > 0 ? inArray(memberships.roleKey, roles) : undefined,
								hasIncident ? eq(users.isAdmin, true) : undefined,
							),
						),
					)
			: [];
	const byUser = new Map<string, TaskChange[]>();
	const add = (userId: string, change: TaskChange) => {
		const theirs = byUser.get(userId) ?? [];
		if (!theirs.includes(change)) theirs.push(change);
		byUser.set(userId, theirs);
	};
	for (const change of changes) {
		if (change.assignee) add(change.assignee, change);
		for (const p of people) {
			if ((change.role && p.role === change.role) || (change.hasIncident && p.isAdmin)) {
				add(p.id, change);
			}
		}
	}
	return byUser;
}
