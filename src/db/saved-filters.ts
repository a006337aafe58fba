// A person's saved inbox filters (names and query strings). Only their owner lists or deletes them;
// the link of one is an ordinary inbox address, open to anyone signed in.
import { and, asc, count, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { savedFilters } from "./schema/index.ts";

/** At most this many saved filters per person. */
export const SAVED_FILTER_LIMIT = 20;
export const SAVED_FILTER_NAME_MAX = 60;

export interface SavedFilter {
	id: string;
	name: string;
	query: string;
}

export async function listSavedFilters(db: D1Database, userId: string): Promise<SavedFilter[]> {
	return drizzle(db)
		.select({ id: savedFilters.id, name: savedFilters.name, query: savedFilters.query })
		.from(savedFilters)
		.where(eq(savedFilters.userId, userId))
		.orderBy(asc(savedFilters.name), asc(savedFilters.createdAt));
}

/**
 * Saves `query` under `name`; a filter of the same name is replaced. False when the person already
 * has SAVED_FILTER_LIMIT others.
 */
export async function saveFilter(
	db: D1Database,
	input: { id: string; userId: string; name: string; query: string; now: number },
): Promise<boolean> {
	const d = drizzle(db);
	const mine = and(eq(savedFilters.userId, input.userId), eq(savedFilters.name, input.name));
	const [existing] = await d.select({ id: savedFilters.id }).from(savedFilters).where(mine);
	if (existing) {
		await d
			.update(savedFilters)
			.set({ query: input.query })
			.where(eq(savedFilters.id, existing.id));
		return true;
	}
	const [row] = await d
		.select({ n: count() })
		.from(savedFilters)
		.where(eq(savedFilters.userId, input.userId));
	if ((row?.n ?? 0) >= SAVED_FILTER_LIMIT) return false;
	await d.insert(savedFilters).values({
		id: input.id,
		userId: input.userId,
		name: input.name,
		query: input.query,
		createdAt: input.now,
	});
	return true;
}

/** Deletes one of the person's saved filters; false when they have none with this id. */
export async function deleteSavedFilter(
	db: D1Database,
	userId: string,
	id: string,
): Promise<boolean> {
	const deleted = await drizzle(db)
		.delete(savedFilters)
		.where(and(eq(savedFilters.id, id), eq(savedFilters.userId, userId)))
		.returning({ id: savedFilters.id });
	return deleted.length > 0;
}
