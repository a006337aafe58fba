-- Message starts (N3): the message names that start processes of each workflow's latest version.
-- Written by hand (src/db/schema/messages.ts is the drizzle table); rows are rewritten whenever a
-- version is published, and filled here from the versions published before this table existed.
CREATE TABLE `message_starts` (
	`message_name` text NOT NULL,
	`workflow_key` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`message_name`, `workflow_key`),
	FOREIGN KEY (`workflow_key`) REFERENCES `workflows`(`key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `message_starts_workflow_idx` ON `message_starts` (`workflow_key`);--> statement-breakpoint
INSERT OR IGNORE INTO `message_starts` (`message_name`, `workflow_key`, `version`)
SELECT json_extract(n.value, '$.params.message'), w.`key`, w.`latest_version`
FROM `workflows` w
JOIN `workflow_versions` v ON v.`workflow_key` = w.`key` AND v.`version` = w.`latest_version`,
	json_each(v.`definition`, '$.nodes') n
WHERE json_extract(n.value, '$.start') = 1
	AND json_extract(n.value, '$.task') = 'message'
	AND json_type(n.value, '$.attachedTo') IS NULL
	AND json_type(n.value, '$.params.message') = 'text'
	AND ltrim(json_extract(n.value, '$.params.message')) NOT LIKE '=%';
