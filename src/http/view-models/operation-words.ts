// The history of administrators' operations on a running process in words (O1–O3): "Suspended:
// waiting for legal", "Resumed", "Migrated from version 1 to 2: Ask moved to Review", "Values
// corrected: amount 1 → 2". A correction shows each value's old and new, as the engine recorded it.
import type { HistoryEvent } from "../../engine/index.ts";
import { shortValue, type Tone } from "./format.ts";

export interface OperationWords {
	tone: Tone;
	icon: string;
	title: string;
	detail?: string;
	values?: { key: string; value: string }[];
}

interface Change {
	name: string;
	old: unknown;
	new: unknown;
}

function isChange(value: unknown): value is Change {
	return typeof value === "object" && value !== null && typeof (value as Change).name === "string";
}

/** The words for an O1–O3 event, or undefined for any other. */
export function operationWords(
	e: HistoryEvent,
	step: string,
	nodeName: (key: string) => string,
): OperationWords | undefined {
	const data = e.data ?? {};
	switch (e.type) {
		case "ProcessSuspended": {
			const reason = typeof data.reason === "string" ? data.reason : undefined;
			return {
				tone: "waiting",
				icon: "⏸",
				title: "Process suspended",
				...(reason ? { detail: reason } : {}),
			};
		}
		case "ProcessResumed":
			return { tone: "info", icon: "▶", title: "Process resumed" };
		case "ProcessMigrated": {
			const moves = Array.isArray(data.moves) ? (data.moves as { from: string; to: string }[]) : [];
			const revoked = Array.isArray(data.revoked) ? data.revoked.length : 0;
			const moved = moves
				.filter((m) => m.from !== m.to)
				.map((m) => `${nodeName(m.from)} → ${nodeName(m.to)}`);
			const detail = [
				moved.length > 0 ? `Moved: ${moved.join(", ")}` : "",
				revoked > 0 ? `${revoked} task${revoked === 1 ? "" : "s"} revoked` : "",
			]
				.filter(Boolean)
				.join("; ");
			return {
				tone: "info",
				icon: "⇢",
				title: `Migrated from version ${String(data.from)} to ${String(data.to)}`,
				...(detail ? { detail } : {}),
			};
		}
		case "ValuesCorrected": {
			const changes = Array.isArray(data.changes) ? data.changes.filter(isChange) : [];
			return {
				tone: "info",
				icon: "✎",
				title: e.taskId ? `${step}: values corrected` : "Process params corrected",
				values: changes.map((c) => ({
					key: c.name,
					value: `${shortValue(c.old)} → ${shortValue(c.new)}`,
				})),
			};
		}
		default:
			return undefined;
	}
}
