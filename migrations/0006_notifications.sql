CREATE TABLE `due_notices` (
	`key` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notices` (
	`key` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`process_id` text NOT NULL,
	`task_id` text,
	`text` text NOT NULL,
	`path` text NOT NULL,
	`channels` text NOT NULL,
	`created_at` integer NOT NULL,
	`delivery_id` text
);
--> statement-breakpoint
CREATE INDEX `notices_pending_idx` ON `notices` (`user_id`,`delivery_id`);--> statement-breakpoint
CREATE TABLE `notification_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`notices` integer NOT NULL,
	`wants_email` integer NOT NULL,
	`wants_webhook` integer NOT NULL,
	`email_message_id` text,
	`email_sent_at` integer,
	`webhook_sent_at` integer,
	`sending_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`abandoned_at` integer
);
--> statement-breakpoint
CREATE INDEX `notification_deliveries_user_idx` ON `notification_deliveries` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `notification_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`choices` text NOT NULL,
	`webhook_url` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`message_id` text,
	`source` text NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_messages_sent_idx` ON `outbox_messages` (`sent_at`);