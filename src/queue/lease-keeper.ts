// T6: a job's lease is short (CLAIM_LEASE_MS) and lapses into a new attempt if its worker dies: a
// job claimed with a completion (T14) has no queue message behind it, and a message lost with a
// crashed worker may not come back. While the job runs, its worker renews the lease, so a long job
// keeps it and a dead worker's job is free within seconds.
import { CLAIM_LEASE_MS, LEASE_MS } from "../engine/index.ts";

/** A third of the lease: two renewals in a row may be lost before the lease lapses. */
export const RENEW_EVERY_MS = CLAIM_LEASE_MS / 3;

/**
 * Calls `renew` every RENEW_EVERY_MS until the returned stop is called, and at most until LEASE_MS
 * after the start: there the job's abort signal fires (TaskContext.signal), and a job that still
 * runs is let go.
 */
export function keepLease(renew: () => Promise<unknown>): () => void {
	const started = Date.now();
	const timer = setInterval(() => {
		if (Date.now() - started + RENEW_EVERY_MS > LEASE_MS) {
			clearInterval(timer);
			return;
		}
		// A renewal that fails is tried again at the next tick; past the lease, T6 takes over.
		renew().catch(() => undefined);
	}, RENEW_EVERY_MS);
	return () => clearInterval(timer);
}
