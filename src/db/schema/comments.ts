// Working together (issue #17): people's comments on a process or one of its tasks, with whom they
// mention, and the files attached to a comment or a task's form. The files themselves live in R2
// (FILES) under `processes/<process id>/`, so retention removes a process's files by prefix.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const comments = sqliteTable(
	"comments",
	{
		id: text("id").primaryKey(),
		processId: text("process_id").notNull(),
		/** Null: a comment on the process itself. */
		taskId: text("task_id"),
		authorId: text("author_id").notNull(),
		/** Plain text as typed; links are found and escaped when shown. */
		body: text("body").notNull(),
		/** The ids of the users the text @mentions (people of the process's roles), as JSON. */
		mentions: text("mentions", { mode: "json" }).$type<string[]>().notNull(),
		createdAt: integer("created_at").notNull(),
		editedAt: integer("edited_at"),
	},
	(t) => [index("comments_process_idx").on(t.processId, t.createdAt)],
);

export const attachments = sqliteTable(
	"attachments",
	{
		id: text("id").primaryKey(),
		processId: text("process_id").notNull(),
		/** The task whose form or comment holds it; null for a comment on the process. */
		taskId: text("task_id"),
		/** The comment it came with, or null for a file field of a task's form. */
		commentId: text("comment_id"),
		/** The form field it was uploaded in, or null for a comment's file. */
		field: text("field"),
		/** The file's name as uploaded, cleaned of paths and control characters. */
		name: text("name").notNull(),
		contentType: text("content_type").notNull(),
		size: integer("size").notNull(),
		uploadedBy: text("uploaded_by").notNull(),
		createdAt: integer("created_at").notNull(),
	},
	(t) => [index("attachments_process_idx").on(t.processId, t.createdAt)],
);
