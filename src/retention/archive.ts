// A removed process's history as NDJSON in R2 (issue #16): one line for the process as it ended,
// then one per history event in order. Written before anything is deleted, and never rewritten: a
// sweep resumed after the object's storage is gone must not replace the archive with an empty one.
import type { ProcessRpc } from "../durable/process-rpc.ts";

/** Events read from the ProcessObject per round trip. */
const HISTORY_PAGE = 500;

export function archiveKeyOf(workflowKey: string, processId: string): string {
	return `processes/${workflowKey}/${processId}.ndjson`;
}

export type ArchiveOutcome = "written" | "already-there" | "nothing-to-archive";

/** Writes the archive unless it is there already; resolves once R2 has stored it. */
export async function archiveHistory(
	bucket: R2Bucket,
	key: string,
	process: ProcessRpc,
): Promise<ArchiveOutcome> {
	if (await bucket.head(key)) return "already-there";
	const view = await process.view();
	if (!view) return "nothing-to-archive";
	const lines = [
		JSON.stringify({
			kind: "process",
			id: view.state.id,
			workflow: view.state.workflow,
			status: view.state.status,
			startedBy: view.startedBy,
			revision: view.revision,
			state: view.state,
		}),
	];
	for (let after = 0; ; ) {
		const events = await process.history(after, HISTORY_PAGE);
		for (const event of events) lines.push(JSON.stringify({ kind: "event", ...event }));
		if (events.length < HISTORY_PAGE) break;
		after = events[events.length - 1]?.seq ?? after;
	}
	const stored = await bucket.put(key, `${lines.join("\n")}\n`, {
		httpMetadata: { contentType: "application/x-ndjson" },
		customMetadata: { processId: view.state.id, events: String(lines.length - 1) },
	});
	// put resolves with the stored object once R2 holds it; anything else must stop the removal.
	if (!stored) throw new Error(`archive ${key} was not stored`);
	return "written";
}
