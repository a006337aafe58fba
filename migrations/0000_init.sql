CREATE TABLE `memberships` (
	`role_key` text NOT NULL,
	`user_id` text NOT NULL,
	`joined_at` integer NOT NULL,
	PRIMARY KEY(`role_key`, `user_id`),
	FOREIGN KEY (`role_key`) REFERENCES `roles`(`key`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `memberships_user_idx` ON `memberships` (`user_id`);--> statement-breakpoint
CREATE TABLE `roles` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`display_name` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `processes` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`workflow_key` text NOT NULL,
	`workflow_version` integer NOT NULL,
	`status` text NOT NULL,
	`priority` integer NOT NULL,
	`progress` integer NOT NULL,
	`stuck` integer NOT NULL,
	`open_incidents` integer NOT NULL,
	`active_tasks` integer NOT NULL,
	`started_by` text,
	`parent_process_id` text,
	`parent_task_id` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`revision` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `processes_status_idx` ON `processes` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `processes_workflow_idx` ON `processes` (`workflow_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `processes_parent_idx` ON `processes` (`parent_process_id`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`process_id` text NOT NULL,
	`workflow_key` text NOT NULL,
	`node` text NOT NULL,
	`node_name` text NOT NULL,
	`task_type` text NOT NULL,
	`status` text NOT NULL,
	`role` text,
	`assignee` text,
	`priority` integer NOT NULL,
	`progress` integer NOT NULL,
	`attempt` integer NOT NULL,
	`awaiting_input` integer NOT NULL,
	`incident` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`revision` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tasks_process_idx` ON `tasks` (`process_id`);--> statement-breakpoint
CREATE INDEX `tasks_assignee_idx` ON `tasks` (`assignee`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_role_idx` ON `tasks` (`role`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_status_idx` ON `tasks` (`status`,`priority`,`created_at`);--> statement-breakpoint
CREATE TABLE `workflow_versions` (
	`workflow_key` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` text,
	PRIMARY KEY(`workflow_key`, `version`),
	FOREIGN KEY (`workflow_key`) REFERENCES `workflows`(`key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `workflows` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`latest_version` integer,
	`draft` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
