ALTER TABLE `tasks` ADD `due_at` integer;--> statement-breakpoint
ALTER TABLE `tasks` ADD `follow_up_at` integer;--> statement-breakpoint
CREATE INDEX `tasks_due_idx` ON `tasks` (`due_at`) WHERE "tasks"."due_at" is not null;--> statement-breakpoint
CREATE INDEX `tasks_follow_up_idx` ON `tasks` (`follow_up_at`) WHERE "tasks"."follow_up_at" is not null;
