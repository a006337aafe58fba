// Q1–Q2 on the Worker: what one Cron Trigger tick does. For every schedule of the latest published
// versions it decides the slots due since the last decided one (the engine's planSlots: start the
// latest if it is fresh, skip the rest) and records them; the first tick to record a slot decides
// it for good, so a tick delivered twice or two ticks at once agree. Then it makes every start
// decided and not yet confirmed, this tick's and any a crashed tick left.
import {
	forgetOldSlots,
	lastDecidedSlots,
	recordDecisions,
	type ScheduledVersion,
	type SlotDecision,
	scheduledVersions,
	scheduleRefKey,
	slotsToStart,
} from "../db/schedules.ts";
import { findPublishedVersion } from "../db/workflows.ts";
import { planSlots, type SlotPlan, type WorkflowDefinition } from "../engine/index.ts";
import { type SlotStartOutcome, slotProcessId, startSlot } from "./slot-start.ts";

/** Starts made per tick at most; more wait for the next tick (a minute later). */
export const MAX_STARTS_PER_TICK = 50;

export interface TickReport {
	decided: number;
	started: number;
	refused: number;
	failed: number;
}

/** One tick at `now` (epoch ms): decide, record, start. */
export async function runScheduledTick(env: Env, now: number): Promise<TickReport> {
	const versions = await scheduledVersions(env.DB);
	const schedules = versions.flatMap((v) =>
		(v.definition.schedules ?? []).map((_, scheduleIndex) => ({
			workflowKey: v.workflowKey,
			version: v.version,
			scheduleIndex,
		})),
	);
	const decisions = await decideSlots(versions, await lastDecidedSlots(env.DB, schedules), now);
	await recordDecisions(env.DB, decisions);
	const outcomes = await startDecided(env, versions, now);
	await forgetOldSlots(env.DB, now);
	const report: TickReport = {
		decided: decisions.length,
		started: outcomes.filter((o) => o === "started").length,
		refused: outcomes.filter((o) => o === "refused").length,
		failed: outcomes.filter((o) => o === "failed").length,
	};
	// Quiet minutes say nothing; a tick that did something leaves one line for the operator.
	if (report.decided + outcomes.length > 0) {
		console.log(JSON.stringify({ level: "info", where: "schedule", at: new Date(now), ...report }));
	}
	return report;
}

async function decideSlots(
	versions: ScheduledVersion[],
	lastDecided: Map<string, number>,
	now: number,
): Promise<SlotDecision[]> {
	const decisions: SlotDecision[] = [];
	for (const v of versions) {
		for (const [scheduleIndex, schedule] of (v.definition.schedules ?? []).entries()) {
			const ref = { workflowKey: v.workflowKey, version: v.version, scheduleIndex };
			// A schedule never decided begins at its version's publication: earlier slots are not its.
			const since = lastDecided.get(scheduleRefKey(ref)) ?? v.publishedAt;
			let plan: SlotPlan;
			try {
				plan = planSlots(schedule, since, now);
			} catch (e) {
				// A schedule published before schedules were validated (D2); the others still run.
				console.error(
					JSON.stringify({ level: "error", where: "schedule", ...ref, error: String(e) }),
				);
				continue;
			}
			if (plan.skipped) {
				decisions.push({
					...ref,
					outcome: "skipped",
					slotAt: plan.skipped.last,
					skippedFrom: plan.skipped.first,
					skippedCount: plan.skipped.count,
					decidedAt: now,
				});
			}
			if (plan.start !== null) {
				const slot = { ...ref, slotAt: plan.start };
				const processId = await slotProcessId(slot);
				decisions.push({ ...slot, outcome: "starting", processId, decidedAt: now });
			}
		}
	}
	return decisions;
}

async function startDecided(
	env: Env,
	versions: ScheduledVersion[],
	now: number,
): Promise<SlotStartOutcome[]> {
	const definitions = new Map<string, WorkflowDefinition | undefined>(
		versions.map((v) => [`${v.workflowKey}@${v.version}`, v.definition]),
	);
	const rows = await slotsToStart(env.DB, MAX_STARTS_PER_TICK);
	return Promise.all(
		rows.map(async (row) => {
			const key = `${row.workflowKey}@${row.version}`;
			// A start decided before a newer version was published is still made on its own version.
			try {
				if (!definitions.has(key)) {
					definitions.set(key, await findPublishedVersion(env.DB, row.workflowKey, row.version));
				}
				return await startSlot(env, row, definitions.get(key), now);
			} catch (e) {
				// D1 out of reach: the row stays `starting` and the next tick makes this start again.
				console.error(
					JSON.stringify({ level: "error", where: "schedule", ...row, error: String(e) }),
				);
				return "failed" as const;
			}
		}),
	);
}
