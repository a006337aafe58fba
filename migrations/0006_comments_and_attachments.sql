CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`process_id` text NOT NULL,
	`task_id` text,
	`comment_id` text,
	`field` text,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attachments_process_idx` ON `attachments` (`process_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `comments` (
	`id` text PRIMARY KEY NOT NULL,
	`process_id` text NOT NULL,
	`task_id` text,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`mentions` text NOT NULL,
	`created_at` integer NOT NULL,
	`edited_at` integer
);
--> statement-breakpoint
CREATE INDEX `comments_process_idx` ON `comments` (`process_id`,`created_at`);