CREATE TABLE `schedule_slots` (
	`workflow_key` text NOT NULL,
	`version` integer NOT NULL,
	`schedule_index` integer NOT NULL,
	`slot_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`process_id` text,
	`skipped_from` integer,
	`skipped_count` integer,
	`reason` text,
	`decided_at` integer NOT NULL,
	`settled_at` integer,
	PRIMARY KEY(`workflow_key`, `version`, `schedule_index`, `slot_at`)
);
--> statement-breakpoint
CREATE INDEX `schedule_slots_starting_idx` ON `schedule_slots` (`decided_at`) WHERE outcome = 'starting';--> statement-breakpoint
CREATE INDEX `schedule_slots_slot_idx` ON `schedule_slots` (`slot_at`);
