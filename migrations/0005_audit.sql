-- The audit log of administrators' changes, and the suspension of a process in the index (O1).
-- Written by hand; drizzle-kit regenerates the snapshot after the merge.
CREATE TABLE `audit_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_entries_at_idx` ON `audit_entries` (`at`);--> statement-breakpoint
CREATE INDEX `audit_entries_actor_idx` ON `audit_entries` (`actor`,`at`);--> statement-breakpoint
CREATE INDEX `audit_entries_action_idx` ON `audit_entries` (`action`,`at`);--> statement-breakpoint
CREATE INDEX `audit_entries_target_idx` ON `audit_entries` (`target`,`at`);--> statement-breakpoint
ALTER TABLE `processes` ADD `suspended_at` integer;
