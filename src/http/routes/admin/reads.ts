// The admin overview's counts, gathered from the repositories: workflows, the process index's
// incident counts, people. templates/admin/overview.tsx renders them.
import { peopleCounts } from "../../../db/people.ts";
import { type IncidentCounts, incidentCounts } from "../../../db/process-index.ts";
import { workflowCounts } from "../../../db/workflows.ts";

export interface OverviewCounts extends IncidentCounts {
	workflows: number;
	drafts: number;
	users: number;
	activeUsers: number;
	roles: number;
}

export async function overviewCounts(db: D1Database): Promise<OverviewCounts> {
	const [workflows, incidents, people] = await Promise.all([
		workflowCounts(db),
		incidentCounts(db),
		peopleCounts(db),
	]);
	return { ...workflows, ...incidents, ...people };
}
