// T6: a job's lease is short (CLAIM_LEASE_MS) and lapses into a new attempt if its worker dies: a
// job claimed with a completion (T14) has no queue message behind it, and a message lost with a
// crashed worker may not come back. While the job runs, its worker renews the lease, so a long job
// keeps it and a dead worker's job is free within seconds.
import { CLAIM_LEASE_MS, LEASE_MS } from "../engine/index.ts";

/** A third of the lease: two renewals in a row may be lost before the lease lapses. */
export const RENEW_EVERY_MS = CLAIM_LEASE_MS / 3;

interface Held {
	since: number;
	renewedAt: number;
	renew: () => Promise<unknown>;
}

/**
 * The leases of the jobs one consumer invocation runs, renewed by one timer for them all (a timer
 * per job would cost every job, and nearly every job ends long before its first renewal). A job's
 * lease is renewed about every RENEW_EVERY_MS while it is held, and at most until LEASE_MS after
 * it began: there its abort signal fires (TaskContext.signal) and a job that still runs is let go.
 */
export class LeaseKeeper {
	private readonly held = new Set<Held>();
	private timer: ReturnType<typeof setInterval> | undefined;

	/** Keeps renewing with `renew` until the returned release is called. */
	hold(renew: () => Promise<unknown>): () => void {
		const now = Date.now();
		const entry: Held = { since: now, renewedAt: now, renew };
		this.held.add(entry);
		this.timer ??= setInterval(() => this.tick(), RENEW_EVERY_MS);
		return () => {
			this.held.delete(entry);
			if (this.held.size === 0 && this.timer !== undefined) {
				clearInterval(this.timer);
				this.timer = undefined;
			}
		};
	}

	private tick(): void {
		const now = Date.now();
		for (const entry of this.held) {
			if (now - entry.since + RENEW_EVERY_MS > LEASE_MS) continue;
			// A job that began just before this tick still has most of its lease.
			if (now - entry.renewedAt < RENEW_EVERY_MS / 2) continue;
			entry.renewedAt = now;
			// A renewal that fails is tried again at the next tick; past the lease, T6 takes over.
			entry.renew().catch(() => undefined);
		}
	}
}
