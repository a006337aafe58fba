// The D1 process index: the `processes` and `tasks` tables, a projection of the ProcessObjects
// written only from their outboxes (docs/decisions/0001-the-index-lags-the-object.md). Every query
// of those tables and every rule about them lives in the files this one gathers: the writer, and
// the reads behind lists, inboxes and counts. Decide access and acts on the ProcessObject, never on
// an index row: a row may be a second old.

export {
	activeTasksAssignedTo,
	INCIDENT_PROCESS_LIMIT,
	type IncidentCounts,
	incidentCounts,
	migrationCandidates,
	processCountsByVersion,
	processesNeedingAttention,
	runningByVersion,
} from "./process-index-admin.ts";
export {
	DUE_FILTERS,
	type DueFilter,
	dueRange,
	INBOX_SORTS,
	type InboxSort,
} from "./process-index-due.ts";
export {
	FLOW_PERIODS,
	type FlowCounts,
	type FlowPeriod,
	flowCounts,
	isFlowPeriod,
	type NodeFlow,
	nodeFlows,
	SLOWEST_LIMIT,
	type SlowProcess,
	type Spread,
	slowestRunning,
} from "./process-index-flow.ts";
export {
	type After,
	findNextTask,
	INBOX_LIMIT,
	type InboxFilter,
	type InboxRow,
	type IndexedProcess,
	type IndexedTask,
	inboxRows,
	type ListPage,
	listProcessesFor,
	listTasksFor,
	PAGE_SIZE,
	type ProcessFilter,
	type ProcessListFilters,
	type ProcessRowView,
	processIdsMatching,
	processListPage,
	roleMemberWorkloads,
	type TaskListFilters,
} from "./process-index-reads.ts";
export {
	type ExpiredProcess,
	expiredProcesses,
	replaceWithTombstone,
} from "./process-index-retention.ts";
export type { TaskScope } from "./process-index-rules.ts";
export {
	indexedProcess,
	indexedTask,
	type ProcessRow,
	processRow,
	type TaskRow,
	taskRow,
	writeIndex,
} from "./process-index-writer.ts";
