ALTER TABLE `tasks` ADD `correlation_key` text;--> statement-breakpoint
CREATE INDEX `tasks_correlation_idx` ON `tasks` (`correlation_key`,`status`);