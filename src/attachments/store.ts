// Attached files: the bytes in R2 (FILES) under the process's prefix, what they are in D1. Who may
// see one is decided by the routes (the task's or the process's visibility); this module only
// stores, finds, reads and removes.
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { attachments } from "../db/schema/index.ts";

export type AttachmentRow = typeof attachments.$inferSelect;

/**
 * A process's files live under one prefix. The id is escaped so that a subprocess's files
 * (`p-…/t1/p1`) never fall under its parent's prefix.
 */
export function processPrefix(processId: string): string {
	return `processes/${encodeURIComponent(processId)}/`;
}

export function objectKey(row: Pick<AttachmentRow, "processId" | "id">): string {
	return `${processPrefix(row.processId)}${row.id}`;
}

export interface NewAttachment {
	processId: string;
	taskId: string | null;
	commentId: string | null;
	field: string | null;
	name: string;
	contentType: string;
	bytes: ArrayBuffer;
	uploadedBy: string;
	now: number;
}

/** Stores the bytes first, then the row: a row never names a file that is not there. */
export async function saveAttachment(env: Env, input: NewAttachment): Promise<AttachmentRow> {
	const row: AttachmentRow = {
		id: `f-${crypto.randomUUID().replaceAll("-", "")}`,
		processId: input.processId,
		taskId: input.taskId,
		commentId: input.commentId,
		field: input.field,
		name: input.name,
		contentType: input.contentType,
		size: input.bytes.byteLength,
		uploadedBy: input.uploadedBy,
		createdAt: input.now,
	};
	await env.FILES.put(objectKey(row), input.bytes, {
		httpMetadata: { contentType: row.contentType },
	});
	await drizzle(env.DB).insert(attachments).values(row);
	return row;
}

export async function findAttachment(
	db: D1Database,
	id: string,
): Promise<AttachmentRow | undefined> {
	if (!/^f-[0-9a-f]{32}$/.test(id)) return undefined;
	const [row] = await drizzle(db).select().from(attachments).where(eq(attachments.id, id)).limit(1);
	return row;
}

/** Removes one file, bytes and row (an upload whose form was then refused). */
export async function removeAttachment(env: Env, row: AttachmentRow): Promise<void> {
	await drizzle(env.DB).delete(attachments).where(eq(attachments.id, row.id));
	await env.FILES.delete(objectKey(row));
}

/** Every file of a process, oldest first. */
export function listAttachments(db: D1Database, processId: string): Promise<AttachmentRow[]> {
	return drizzle(db)
		.select()
		.from(attachments)
		.where(eq(attachments.processId, processId))
		.orderBy(asc(attachments.createdAt), asc(attachments.id));
}

/** Retention: every file of the process, bytes and rows. Safe to run again. */
export async function removeProcessFiles(env: Env, processId: string): Promise<number> {
	const prefix = processPrefix(processId);
	let removed = 0;
	let cursor: string | undefined;
	do {
		const page = await env.FILES.list({ prefix, ...(cursor ? { cursor } : {}) });
		const keys = page.objects.map((o) => o.key);
		if (keys.length > 0) await env.FILES.delete(keys);
		removed += keys.length;
		cursor = page.truncated ? page.cursor : undefined;
	} while (cursor);
	await drizzle(env.DB).delete(attachments).where(eq(attachments.processId, processId));
	return removed;
}
