// The local outbox's reads, for /admin/outbox (what mail.ts wrote while outboxKept).
import { desc } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { outboxMessages } from "../db/schema/index.ts";

export type OutboxRow = typeof outboxMessages.$inferSelect;

/** The latest `limit` messages sent, newest first. */
export async function latestSent(db: D1Database, limit: number): Promise<OutboxRow[]> {
	return drizzle(db).select().from(outboxMessages).orderBy(desc(outboxMessages.id)).limit(limit);
}
