// One delivery as it arrived: the headers its verification needs, the exact body bytes, and when.
// A replay is the same receipt again, checked at its original arrival time.

/** The request headers a delivery is verified with, kept in the log so that a replay re-verifies. */
export const KEPT_HEADERS = [
	"content-type",
	"webhook-id",
	"webhook-timestamp",
	"webhook-signature",
	"x-hub-signature-256",
	"x-github-delivery",
	"x-github-event",
	"authorization",
] as const;

export interface Receipt {
	headers: Record<string, string>;
	body: Uint8Array;
	/** When it arrived (the log's time). */
	receivedAt: number;
	/** The time signatures and secrets are checked at: the first arrival, also for a replay. */
	verifyAt: number;
	/** The site's origin, for the process URL in the answer. */
	origin: string;
	replayOf?: string;
	replayedBy?: string;
}

/** The headers a receipt keeps, lower-cased, from a request. */
export function keptHeaders(headers: Headers): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of KEPT_HEADERS) {
		const value = headers.get(name);
		if (value !== null) out[name] = value.slice(0, 8192);
	}
	return out;
}
