// The count beside "Inbox" in the navigation: the open tasks a person could work on now, those
// assigned to them and the unclaimed ones of their roles' queues (their inbox's first two lists,
// unfiltered, without the tasks of roles they left).
import { and, count, isNull, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CurrentUser } from "../auth/current-user.ts";
import { activeTask, assignedToMe, ownWork } from "./process-index-rules.ts";
import { tasks } from "./schema/index.ts";

export async function openTaskCount(
	db: D1Database,
	user: Pick<CurrentUser, "id" | "roles">,
): Promise<number> {
	const [row] = await drizzle(db)
		.select({ n: count() })
		.from(tasks)
		.where(and(activeTask(), or(assignedToMe(user), and(ownWork(user), isNull(tasks.assignee)))));
	return row?.n ?? 0;
}
