// Repository of scheduled starts (Q1–Q2): which published versions carry schedules, the slots each
// tick decided (insert-or-ignore on the slot's key: whoever decides a slot first decides it for
// good), the starts still to confirm, and the recent slots the pages show.
import { and, asc, desc, eq, inArray, lt, max, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { WorkflowDefinition } from "../engine/index.ts";
import {
	type ScheduleSlotOutcome,
	scheduleSlots,
	workflows,
	workflowVersions,
} from "./schema/index.ts";

/** The latest published version of a workflow that carries schedules. */
export interface ScheduledVersion {
	workflowKey: string;
	version: number;
	publishedAt: number;
	definition: WorkflowDefinition;
}

/** Where one schedule of one version is: the keys every slot row carries. */
export interface ScheduleRef {
	workflowKey: string;
	version: number;
	scheduleIndex: number;
}

export interface ScheduleSlotRow extends ScheduleRef {
	slotAt: number;
	outcome: ScheduleSlotOutcome;
	processId: string | null;
	skippedFrom: number | null;
	skippedCount: number | null;
	reason: string | null;
	decidedAt: number;
	settledAt: number | null;
}

/** A slot as a tick decides it: to start (with the process id it will have) or skipped. */
export type SlotDecision = ScheduleRef & { decidedAt: number } & (
		| { outcome: "starting"; slotAt: number; processId: string }
		| { outcome: "skipped"; slotAt: number; skippedFrom: number; skippedCount: number }
	);

/** How long settled slots are kept for the pages; the latest of each schedule is always kept. */
export const SLOT_RETENTION_MS = 90 * 86_400_000;

/** Q1: only the latest published version of each workflow runs its schedules. */
export async function scheduledVersions(db: D1Database): Promise<ScheduledVersion[]> {
	const rows = await drizzle(db)
		.select({
			workflowKey: workflowVersions.workflowKey,
			version: workflowVersions.version,
			publishedAt: workflowVersions.publishedAt,
			definition: workflowVersions.definition,
		})
		.from(workflows)
		.innerJoin(
			workflowVersions,
			and(
				eq(workflowVersions.workflowKey, workflows.key),
				eq(workflowVersions.version, workflows.latestVersion),
			),
		)
		.where(sql`json_array_length(${workflowVersions.definition}, '$.schedules') > 0`)
		.orderBy(asc(workflowVersions.workflowKey));
	return rows.map((r) => ({
		...r,
		definition: { ...(r.definition as WorkflowDefinition), version: r.version },
	}));
}

/** The key a schedule is found under in the maps `lastDecidedSlots` and `recentSlots` return. */
export function scheduleRefKey(ref: ScheduleRef): string {
	return `${ref.workflowKey}\u0000${ref.version}\u0000${ref.scheduleIndex}`;
}

/**
 * The latest slot decided for each of `schedules`: where its next tick begins. One index seek per
 * schedule (the primary key starts with the schedule's key), never a scan of its slots.
 */
export async function lastDecidedSlots(
	db: D1Database,
	schedules: ScheduleRef[],
): Promise<Map<string, number>> {
	const d = drizzle(db);
	const queries = schedules.map((ref) =>
		d
			.select({ last: max(scheduleSlots.slotAt) })
			.from(scheduleSlots)
			.where(
				and(
					eq(scheduleSlots.workflowKey, ref.workflowKey),
					eq(scheduleSlots.version, ref.version),
					eq(scheduleSlots.scheduleIndex, ref.scheduleIndex),
				),
			),
	);
	const last = new Map<string, number>();
	const [first, ...rest] = queries;
	if (!first) return last;
	const results = await d.batch([first, ...rest]);
	schedules.forEach((ref, i) => {
		const found = results[i]?.[0]?.last;
		if (found !== null && found !== undefined) last.set(scheduleRefKey(ref), found);
	});
	return last;
}

/**
 * Records what a tick decided, each slot only if no other tick decided it first (a duplicate or
 * an overlapping tick): the slot's key is the primary key, and the first row stays.
 */
export async function recordDecisions(db: D1Database, decisions: SlotDecision[]): Promise<void> {
	const d = drizzle(db);
	const inserts = decisions.map((decision) =>
		d.insert(scheduleSlots).values(decision).onConflictDoNothing(),
	);
	const [first, ...rest] = inserts;
	if (first) await d.batch([first, ...rest]);
}

/** Starts decided and not yet confirmed (this tick's, or a crashed tick's), oldest first. */
export async function slotsToStart(db: D1Database, limit: number): Promise<ScheduleSlotRow[]> {
	return drizzle(db)
		.select()
		.from(scheduleSlots)
		.where(eq(scheduleSlots.outcome, "starting"))
		.orderBy(asc(scheduleSlots.decidedAt), asc(scheduleSlots.slotAt))
		.limit(limit);
}

/** The start of a slot was made (or refused): its row says so for good. */
export async function settleSlot(
	db: D1Database,
	slot: ScheduleRef & { slotAt: number },
	outcome: { outcome: "started" } | { outcome: "refused"; reason: string },
	settledAt: number,
): Promise<void> {
	await drizzle(db)
		.update(scheduleSlots)
		.set({
			outcome: outcome.outcome,
			reason: outcome.outcome === "refused" ? outcome.reason : null,
			settledAt,
		})
		.where(
			and(
				eq(scheduleSlots.workflowKey, slot.workflowKey),
				eq(scheduleSlots.version, slot.version),
				eq(scheduleSlots.scheduleIndex, slot.scheduleIndex),
				eq(scheduleSlots.slotAt, slot.slotAt),
				eq(scheduleSlots.outcome, "starting"),
			),
		);
}

/** The latest `perSchedule` slots of each schedule, newest first, for the workflows page. */
export async function recentSlots(
	db: D1Database,
	schedules: ScheduleRef[],
	perSchedule: number,
): Promise<Map<string, ScheduleSlotRow[]>> {
	const d = drizzle(db);
	const queries = schedules.map((ref) =>
		d
			.select()
			.from(scheduleSlots)
			.where(
				and(
					eq(scheduleSlots.workflowKey, ref.workflowKey),
					eq(scheduleSlots.version, ref.version),
					eq(scheduleSlots.scheduleIndex, ref.scheduleIndex),
				),
			)
			.orderBy(desc(scheduleSlots.slotAt))
			.limit(perSchedule),
	);
	const recent = new Map<string, ScheduleSlotRow[]>();
	const [first, ...rest] = queries;
	if (!first) return recent;
	const results = await d.batch([first, ...rest]);
	schedules.forEach((ref, i) => {
		recent.set(scheduleRefKey(ref), results[i] ?? []);
	});
	return recent;
}

/**
 * Forgets settled slots older than the retention, a bounded number per call, but never the latest
 * slot of a schedule: it is where that schedule's next tick begins.
 */
export async function forgetOldSlots(db: D1Database, now: number, limit = 500): Promise<void> {
	const d = drizzle(db);
	const newer = sql`(SELECT max(s2.slot_at) FROM schedule_slots s2 WHERE s2.workflow_key = ${scheduleSlots.workflowKey} AND s2.version = ${scheduleSlots.version} AND s2.schedule_index = ${scheduleSlots.scheduleIndex})`;
	const old = d
		.select({ rowid: sql<number>`rowid` })
		.from(scheduleSlots)
		.where(
			and(
				inArray(scheduleSlots.outcome, ["started", "refused", "skipped"]),
				lt(scheduleSlots.slotAt, now - SLOT_RETENTION_MS),
				lt(scheduleSlots.slotAt, newer),
			),
		)
		.limit(limit);
	await d.delete(scheduleSlots).where(inArray(sql`rowid`, old));
}
