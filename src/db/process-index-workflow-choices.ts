// The workflows a filter offers a person: only those they have something of. The inbox offers the
// workflows of their open work (and, for admins, of open incidents); the process list, those of the
// processes they may see. A workflow already chosen in the address stays offered.
import { and, asc, eq, inArray, isNotNull, or, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CurrentUser } from "../auth/current-user.ts";
import { activeTask, ownWork, visibleProcesses } from "./process-index-rules.ts";
import { processes, tasks, workflows } from "./schema/index.ts";

export interface WorkflowChoice {
	key: string;
	name: string;
}

/** The workflows of the person's open work (the tasks their inbox may list). */
export async function inboxWorkflowChoices(
	db: D1Database,
	user: Pick<CurrentUser, "id" | "roles" | "isAdmin">,
	chosen?: string,
): Promise<WorkflowChoice[]> {
	const keys = drizzle(db)
		.selectDistinct({ key: tasks.workflowKey })
		.from(tasks)
		.where(
			and(activeTask(), or(ownWork(user), user.isAdmin ? isNotNull(tasks.incident) : undefined)),
		);
	return named(db, inArray(workflows.key, keys), chosen);
}

/** The workflows of the processes the person may see. */
export async function processWorkflowChoices(
	db: D1Database,
	user: CurrentUser,
	chosen?: string,
): Promise<WorkflowChoice[]> {
	const keys = drizzle(db)
		.selectDistinct({ key: processes.workflowKey })
		.from(processes)
		.where(visibleProcesses(user));
	return named(db, inArray(workflows.key, keys), chosen);
}

function named(db: D1Database, where: SQL, chosen?: string): Promise<WorkflowChoice[]> {
	return drizzle(db)
		.select({ key: workflows.key, name: workflows.name })
		.from(workflows)
		.where(chosen ? or(where, eq(workflows.key, chosen)) : where)
		.orderBy(asc(workflows.name));
}
