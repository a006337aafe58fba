CREATE TABLE `rate_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`trigger_key` text NOT NULL,
	`delivery_id` text,
	`dedupe_key` text,
	`received_at` integer NOT NULL,
	`status` text NOT NULL,
	`http_status` integer NOT NULL,
	`code` text,
	`reason` text,
	`process_id` text,
	`task_id` text,
	`headers` text NOT NULL,
	`body` text,
	`body_size` integer NOT NULL,
	`replay_of` text,
	`replayed_by` text
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_trigger_idx` ON `webhook_deliveries` (`trigger_key`,`received_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_accepted_idx` ON `webhook_deliveries` (`trigger_key`,`dedupe_key`) WHERE status = 'accepted';--> statement-breakpoint
CREATE TABLE `webhook_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`trigger_key` text NOT NULL,
	`material` text NOT NULL,
	`hint` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`created_by` text,
	FOREIGN KEY (`trigger_key`) REFERENCES `webhook_triggers`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_secrets_trigger_idx` ON `webhook_secrets` (`trigger_key`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_triggers` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`workflow_key` text NOT NULL,
	`scheme` text NOT NULL,
	`jwt_algorithm` text,
	`jwt_audience` text,
	`jwt_issuer` text,
	`mapping` text NOT NULL,
	`priority` integer,
	`enabled` integer NOT NULL,
	`rate_limit_per_minute` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`created_by` text
);
