// The audit log repository: record an administrator's change, alone or as one statement of the
// D1 batch that makes the change (so the change and its entry land together or not at all), and
// read the log back by who, what, target and time, newest first, a page at a time.
import { and, desc, eq, gte, lt, lte, or, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditEntries } from "./schema/index.ts";

export type AuditEntry = typeof auditEntries.$inferSelect;

export interface NewAuditEntry {
	actor: string;
	action: string;
	target: string;
	details?: unknown;
	at?: number;
}

function rowOf(entry: NewAuditEntry): AuditEntry {
	return {
		id: crypto.randomUUID(),
		at: entry.at ?? Date.now(),
		actor: entry.actor,
		action: entry.action,
		target: entry.target,
		details: entry.details ?? null,
	};
}

type Orm = ReturnType<typeof drizzle>;

/** The entry's INSERT, for a repository that puts it in the batch of the change it records. */
export function auditInsert(d: Orm, entry: NewAuditEntry) {
	return d.insert(auditEntries).values(rowOf(entry));
}

/** Records a change that is not itself a D1 write (an act on a ProcessObject), once it is done. */
export async function recordAudit(db: D1Database, entry: NewAuditEntry): Promise<void> {
	const d = drizzle(db);
	await auditInsert(d, entry);
}

/** Records several changes at once (a bulk act), in chunks under D1's 100 bound parameters. */
export async function recordAudits(db: D1Database, entries: NewAuditEntry[]): Promise<void> {
	const d = drizzle(db);
	const rows = entries.map(rowOf);
	for (let i = 0; i < rows.length; i += 16) {
		await d.insert(auditEntries).values(rows.slice(i, i + 16));
	}
}

export interface AuditFilter {
	actor?: string;
	/** An action (`process.suspended`) or its subject alone (`process`). */
	action?: string;
	target?: string;
	from?: number;
	to?: number;
	/** The cursor: the (at, id) of the last entry of the previous page. */
	before?: { at: number; id: string };
	limit?: number;
}

export const AUDIT_PAGE_SIZE = 50;

/** A page of entries, newest first, and whether there are more. */
export async function listAudit(
	db: D1Database,
	filter: AuditFilter,
): Promise<{ items: AuditEntry[]; hasMore: boolean }> {
	const limit = Math.min(Math.max(filter.limit ?? AUDIT_PAGE_SIZE, 1), 200);
	const action = filter.action;
	const conditions: (SQL | undefined)[] = [
		filter.actor ? eq(auditEntries.actor, filter.actor) : undefined,
		action
			? action.includes(".")
				? eq(auditEntries.action, action)
				: and(gte(auditEntries.action, `${action}.`), lt(auditEntries.action, `${action}/`))
			: undefined,
		filter.target ? eq(auditEntries.target, filter.target) : undefined,
		filter.from === undefined ? undefined : gte(auditEntries.at, filter.from),
		filter.to === undefined ? undefined : lte(auditEntries.at, filter.to),
		filter.before
			? or(
					lt(auditEntries.at, filter.before.at),
					and(eq(auditEntries.at, filter.before.at), lt(auditEntries.id, filter.before.id)),
				)
			: undefined,
	];
	const rows = await drizzle(db)
		.select()
		.from(auditEntries)
		.where(and(...conditions))
		.orderBy(desc(auditEntries.at), desc(auditEntries.id))
		.limit(limit + 1);
	return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}
