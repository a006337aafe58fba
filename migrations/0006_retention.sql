-- Retention (issue #16): how long each workflow keeps its finished processes, and a tombstone for
-- every process the retention sweep removed, so its id answers 410 with when and why; and an index
-- for how the work flows. Written by hand; src/db/schema/retention.ts declares the same tables.
CREATE TABLE `workflow_retention` (
	`workflow_key` text PRIMARY KEY NOT NULL,
	`retention_days` integer,
	`archive` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`workflow_key`) REFERENCES `workflows`(`key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `removed_processes` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_key` text NOT NULL,
	`removed_at` integer NOT NULL,
	`reason` text NOT NULL,
	`archive_key` text
);
--> statement-breakpoint
CREATE INDEX `removed_processes_workflow_idx` ON `removed_processes` (`workflow_key`, `removed_at`);
--> statement-breakpoint
-- How the work flows: a workflow's tasks that ended in a period (src/db/process-index-flow.ts).
CREATE INDEX `tasks_workflow_ended_idx` ON `tasks` (`workflow_key`, `ended_at`);
