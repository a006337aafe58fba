// The slots of scheduled starts (Q1–Q2): one row per slot a tick decided, keyed by workflow,
// version, schedule and slot, so a tick delivered twice or two ticks at once decide each slot once.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * What became of a slot: `starting` (decided; the process start is being made, and is made again
 * by the next tick until it is confirmed), `started`, `refused` (the start form refused the
 * schedule's params, T10) or `skipped` (Q2: missed; the row stands for a run of missed slots).
 */
export type ScheduleSlotOutcome = "starting" | "started" | "refused" | "skipped";

export const scheduleSlots = sqliteTable(
	"schedule_slots",
	{
		workflowKey: text("workflow_key").notNull(),
		version: integer("version").notNull(),
		/** The schedule's position in the version's `schedules`. */
		scheduleIndex: integer("schedule_index").notNull(),
		/** The slot, epoch ms; for a skipped run, its last slot. */
		slotAt: integer("slot_at").notNull(),
		outcome: text("outcome").$type<ScheduleSlotOutcome>().notNull(),
		/** The process the slot starts (derived from the key above), null for a skipped run. */
		processId: text("process_id"),
		/** For a skipped run: its first slot and how many slots it holds (bounded, Q2). */
		skippedFrom: integer("skipped_from"),
		skippedCount: integer("skipped_count"),
		/** Why a start was refused, in the engine's words. */
		reason: text("reason"),
		/** The time of the tick that decided the slot. */
		decidedAt: integer("decided_at").notNull(),
		/** When the start was confirmed or refused. */
		settledAt: integer("settled_at"),
	},
	(t) => [
		primaryKey({ columns: [t.workflowKey, t.version, t.scheduleIndex, t.slotAt] }),
		// Each tick looks for starts decided but not yet confirmed (a crash in between).
		index("schedule_slots_starting_idx").on(t.decidedAt).where(sql`outcome = 'starting'`),
		// Each tick forgets the slots past the retention: a range, not a scan of the table.
		index("schedule_slots_slot_idx").on(t.slotAt),
	],
);
