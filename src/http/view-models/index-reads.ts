// Kept for the files that still import from here: the index's reads live in
// src/db/process-index.ts, names in src/db/people.ts and src/db/workflows.ts.
export { roleNames, userNames } from "../../db/people.ts";
export { findNextTask, processListPage as readProcesses } from "../../db/process-index.ts";
export { workflowNames } from "../../db/workflows.ts";
