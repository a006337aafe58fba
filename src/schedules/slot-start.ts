// Q1 for one decided slot: its process is started exactly once. The process id is derived from
// (workflow, version, schedule, slot), and the ProcessObject named by it creates and starts itself
// once (S3), so making the start again after a crash, a duplicate or an overlapping tick finds the
// same process. Its row in D1 is settled afterwards: a crash in between leaves it `starting`, and
// the next tick makes the same start again.
import { type ScheduleRef, settleSlot } from "../db/schedules.ts";
import { processIdFor, startProcess } from "../durable/process-client.ts";
import {
	EngineError,
	type ScheduleDefinition,
	scheduleLabel,
	scheduleTimeZone,
	slotWallTime,
	type WorkflowDefinition,
} from "../engine/index.ts";

export type SlotRef = ScheduleRef & { slotAt: number };

/** The S3 key of a slot's start: the same slot always names the same process. */
export function slotStartKey(slot: SlotRef): string {
	return `schedule:${slot.workflowKey}:${slot.version}:${slot.scheduleIndex}:${slot.slotAt}`;
}

export function slotProcessId(slot: SlotRef): Promise<string> {
	return processIdFor(slotStartKey(slot));
}

/** Who started a scheduled process, in its history and its `startedBy`: the schedule, no person. */
export function scheduleStarter(schedule: ScheduleDefinition): string {
	return `schedule:${scheduleLabel(schedule)}`;
}

export type SlotStartOutcome = "started" | "refused" | "failed";

/**
 * Starts the slot's process and settles its row: `started`, or `refused` with the engine's reason
 * (T10: the start form refused the schedule's params). Anything else (an object out of reach) is
 * `failed`: the row stays `starting` and the next tick tries again.
 */
export async function startSlot(
	env: Env,
	slot: SlotRef,
	definition: WorkflowDefinition | undefined,
	now: number,
): Promise<SlotStartOutcome> {
	const schedule = definition?.schedules?.[slot.scheduleIndex];
	if (!definition || !schedule) {
		const reason = `version ${slot.version} of "${slot.workflowKey}" has no schedule ${slot.scheduleIndex + 1}`;
		await settleSlot(env.DB, slot, { outcome: "refused", reason }, now);
		return "refused";
	}
	const zone = scheduleTimeZone(schedule);
	try {
		await startProcess(env, {
			workflowKey: slot.workflowKey,
			version: slot.version,
			params: schedule.params ?? {},
			name: `${schedule.name ?? definition.name} · ${slotWallTime(slot.slotAt, zone)} ${zone}`,
			startedBy: scheduleStarter(schedule),
			idempotencyKey: slotStartKey(slot),
		});
	} catch (e) {
		if (!(e instanceof EngineError)) {
			logFailure(slot, e);
			return "failed";
		}
		await settleSlot(env.DB, slot, { outcome: "refused", reason: refusalOf(e) }, now);
		return "refused";
	}
	await settleSlot(env.DB, slot, { outcome: "started" }, now);
	return "started";
}

/** The engine's refusal in words: its message, and each field it names (T10). */
function refusalOf(e: EngineError): string {
	const details = e.details as { fields?: Record<string, string> } | undefined;
	const fields = Object.entries(details?.fields ?? {}).map(([name, why]) =>
		name === "" ? why : `${name}: ${why}`,
	);
	return fields.length > 0 ? `${e.message} (${fields.join("; ")})` : e.message;
}

function logFailure(slot: SlotRef, e: unknown): void {
	console.error(
		JSON.stringify({
			level: "error",
			where: "schedule",
			workflowKey: slot.workflowKey,
			version: slot.version,
			schedule: slot.scheduleIndex,
			slotAt: new Date(slot.slotAt).toISOString(),
			error: String(e),
		}),
	);
}
