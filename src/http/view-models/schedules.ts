// The scheduled starts of a workflow's latest version, as its card on the workflows page shows them
// (Q1–Q2): each schedule's rule, its next start in its own time zone and in UTC, and what became of
// its latest slots (started, being started, refused by the start form, or missed and skipped).
import type { ScheduleSlotRow } from "../../db/schedules.ts";
import {
	EngineError,
	nextSlot,
	type ScheduleDefinition,
	SKIPPED_COUNT_LIMIT,
	scheduleLabel,
	scheduleTimeZone,
	slotWallTime,
	type WorkflowDefinition,
} from "../../engine/index.ts";
import { processHref } from "./format.ts";
import type { WorkflowCardView } from "./workflows.ts";

/** An instant in the schedule's zone, and in UTC when that zone is another. */
export interface SlotTimeView {
	iso: string;
	local: string;
	utc?: string;
}

export interface ScheduleSlotView {
	outcome: "starting" | "started" | "refused" | "skipped";
	/** What became of the slot, in a few words. */
	summary: string;
	at: SlotTimeView;
	/** A skipped run of several slots: its first one. */
	from?: SlotTimeView;
	processHref?: string;
	reason?: string;
}

export interface ScheduleView {
	label: string;
	/** The rule in words: `Cron “0 9 * * 1-5”, Europe/Paris time` or `Once`. */
	rule: string;
	next: SlotTimeView | null;
	recent: ScheduleSlotView[];
	/** A schedule that cannot run (published before schedules were checked, D2). */
	problem?: string;
}

/** A workflow's card on the workflows page, with the schedules of its latest version. */
export interface ScheduledWorkflowCardView extends WorkflowCardView {
	schedules: ScheduleView[];
}

/** How many of a schedule's latest slots its card lists. */
export const RECENT_SLOTS = 5;

export function scheduleViews(
	def: WorkflowDefinition,
	recentOf: (scheduleIndex: number) => ScheduleSlotRow[],
	now: number,
): ScheduleView[] {
	return (def.schedules ?? []).map((schedule, i) => {
		const zone = scheduleTimeZone(schedule);
		const view: ScheduleView = {
			label: scheduleLabel(schedule),
			rule: ruleOf(schedule),
			next: null,
			recent: recentOf(i).map((row) => slotView(row, zone)),
		};
		try {
			const next = nextSlot(schedule, now);
			if (next !== null) view.next = timeView(next, zone);
		} catch (e) {
			if (!(e instanceof EngineError)) throw e;
			view.problem = e.message;
		}
		return view;
	});
}

function ruleOf(schedule: ScheduleDefinition): string {
	const zone = scheduleTimeZone(schedule);
	if (schedule.cron !== undefined) return `Cron “${schedule.cron}”, ${zone} time`;
	return `Once, at ${schedule.at ?? "?"}${/(Z|[+-]\d\d:\d\d)$/.test(schedule.at ?? "") ? "" : ` ${zone} time`}`;
}

function timeView(instant: number, zone: string): SlotTimeView {
	const view: SlotTimeView = {
		iso: new Date(instant).toISOString(),
		local: `${slotWallTime(instant, zone)} ${zone}`,
	};
	if (zone !== "UTC") view.utc = `${slotWallTime(instant, "UTC")} UTC`;
	return view;
}

function slotView(row: ScheduleSlotRow, zone: string): ScheduleSlotView {
	const at = timeView(row.slotAt, zone);
	switch (row.outcome) {
		case "started":
			return {
				outcome: "started",
				summary: "Started",
				at,
				...(row.processId ? { processHref: processHref(row.processId) } : {}),
			};
		case "starting":
			return { outcome: "starting", summary: "Starting", at };
		case "refused":
			return {
				outcome: "refused",
				summary: "Refused",
				at,
				reason: row.reason ?? "the start was refused",
			};
		case "skipped": {
			const count = row.skippedCount ?? 1;
			const view: ScheduleSlotView = {
				outcome: "skipped",
				summary:
					count === 1
						? "Missed, not started"
						: `${count}${count >= SKIPPED_COUNT_LIMIT ? " or more" : ""} missed slots, not started`,
				at,
			};
			if (count > 1 && row.skippedFrom !== null) view.from = timeView(row.skippedFrom, zone);
			return view;
		}
	}
}
