// The retention sweep (issue #16), run by the Cron Trigger's tick: finished processes older than
// their workflow's retention are archived (when the workflow archives), their ProcessObject's
// storage deleted, its comments and files (D1, R2) deleted, then their index rows replaced by a
// tombstone. Each step can run again without harm, so a sweep that dies midway is finished by the
// next tick: the archive is never rewritten, an emptied object answers that it holds nothing, and
// the tombstone is written once.
import { removeProcessFiles } from "../attachments/store.ts";
import { removeProcessComments } from "../comments/store.ts";
import { expiredProcesses, replaceWithTombstone } from "../db/process-index.ts";
import { defaultRetentionDays } from "../db/retention.ts";
import { processStub } from "../durable/process-client.ts";
import { type ArchiveOutcome, archiveHistory, archiveKeyOf } from "./archive.ts";

/** Processes removed per tick at most; a backlog drains a minute at a time. */
export const MAX_REMOVALS_PER_TICK = 25;

export interface SweepReport {
	removed: number;
	/** Refused by their object (not finished after all, or an index write still owed) or failed. */
	skipped: number;
}

export function removalReason(retentionDays: number): string {
	return `finished more than ${retentionDays} day${retentionDays === 1 ? "" : "s"} ago (retention)`;
}

export async function sweepExpiredProcesses(
	env: Env,
	now: number,
	limit = MAX_REMOVALS_PER_TICK,
): Promise<SweepReport> {
	const expired = await expiredProcesses(env.DB, now, defaultRetentionDays(env), limit);
	const report: SweepReport = { removed: 0, skipped: 0 };
	// One at a time: a removal is three round trips, and the tick has other work; 25 fit a minute.
	for (const process of expired) {
		try {
			const stub = processStub(env, process.id);
			const archiveKey = process.archive ? archiveKeyOf(process.workflowKey, process.id) : null;
			let archived: ArchiveOutcome | undefined;
			if (archiveKey) archived = await archiveHistory(env.ARCHIVE, archiveKey, stub);
			const removal = await stub.removeStorage();
			if (!removal.ok) {
				report.skipped++;
				continue;
			}
			// What people wrote and attached goes with the process; both can run again after a crash.
			await removeProcessFiles(env, process.id);
			await removeProcessComments(env.DB, process.id);
			await replaceWithTombstone(env.DB, {
				id: process.id,
				workflowKey: process.workflowKey,
				removedAt: now,
				reason: removalReason(process.retentionDays),
				// An object already empty with no archive: nothing was archived, say so.
				archiveKey: archived === "nothing-to-archive" ? null : archiveKey,
			});
			report.removed++;
		} catch (e) {
			// R2, D1 or the object out of reach: the process stays expired and the next tick resumes it.
			report.skipped++;
			console.error(
				JSON.stringify({
					level: "error",
					where: "retention",
					processId: process.id,
					error: String(e),
				}),
			);
		}
	}
	if (report.removed + report.skipped > 0) {
		console.log(
			JSON.stringify({ level: "info", where: "retention", at: new Date(now), ...report }),
		);
	}
	return report;
}
