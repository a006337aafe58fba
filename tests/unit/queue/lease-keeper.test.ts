// T6: a job holds a short lease from its claim, renewed by its worker while it runs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CLAIM_LEASE_MS, LEASE_MS } from "../../../src/engine/index.ts";
import { LeaseKeeper, RENEW_EVERY_MS } from "../../../src/queue/lease-keeper.ts";

/** The longest a held lease goes without a renewal: the ticks come RENEW_EVERY_MS apart. */
const MAX_GAP = RENEW_EVERY_MS * 2;

describe("the lease keeper of a consumer invocation", () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it("T6 renews well inside the short lease, so a renewal may be lost before it lapses", () => {
		expect(MAX_GAP + RENEW_EVERY_MS).toBeLessThanOrEqual(CLAIM_LEASE_MS);
	});

	it("T6 a job that ends before the first renewal costs no renewal", async () => {
		const keeper = new LeaseKeeper();
		const renew = vi.fn(async () => undefined);
		const release = keeper.hold(renew);
		await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS - 1);
		release();
		await vi.advanceTimersByTimeAsync(10 * RENEW_EVERY_MS);
		expect(renew).not.toHaveBeenCalled();
	});

	it("T6 a long job's lease is renewed while it runs, never more than MAX_GAP apart, and no more once it ended", async () => {
		const keeper = new LeaseKeeper();
		const renewedAt: number[] = [];
		const started = Date.now();
		// Held a moment after another job started the keeper's timer.
		const first = keeper.hold(async () => undefined);
		await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS - 1);
		const release = keeper.hold(async () => renewedAt.push(Date.now()));
		first();
		await vi.advanceTimersByTimeAsync(6 * RENEW_EVERY_MS);
		expect(renewedAt.length).toBeGreaterThanOrEqual(4);
		let last = started + RENEW_EVERY_MS - 1;
		for (const at of renewedAt) {
			expect(at - last).toBeLessThanOrEqual(MAX_GAP);
			last = at;
		}
		release();
		const count = renewedAt.length;
		await vi.advanceTimersByTimeAsync(10 * RENEW_EVERY_MS);
		expect(renewedAt).toHaveLength(count);
	});

	it("T6 one timer serves every job held, and none is left once all are released", async () => {
		const keeper = new LeaseKeeper();
		const renews = Array.from({ length: 50 }, () => vi.fn(async () => undefined));
		const releases = renews.map((r) => keeper.hold(r));
		expect(vi.getTimerCount()).toBe(1);
		await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS + 1);
		for (const r of renews) expect(r).toHaveBeenCalledTimes(1);
		for (const release of releases) release();
		expect(vi.getTimerCount()).toBe(0);
	});

	it("T6 a renewal that fails does not stop the next ones", async () => {
		const keeper = new LeaseKeeper();
		let calls = 0;
		const renew = vi.fn(async () => {
			calls += 1;
			if (calls === 1) throw new Error("the object was unreachable");
		});
		const release = keeper.hold(renew);
		await vi.advanceTimersByTimeAsync(2 * RENEW_EVERY_MS + 1);
		expect(renew).toHaveBeenCalledTimes(2);
		release();
	});

	it("T6 renewals stop at LEASE_MS, when the job's abort signal fires: a hung job is let go", async () => {
		const keeper = new LeaseKeeper();
		const renew = vi.fn(async () => undefined);
		const release = keeper.hold(renew);
		await vi.advanceTimersByTimeAsync(LEASE_MS);
		const count = renew.mock.calls.length;
		expect(count).toBeLessThanOrEqual(Math.ceil(LEASE_MS / RENEW_EVERY_MS));
		await vi.advanceTimersByTimeAsync(5 * RENEW_EVERY_MS);
		expect(renew).toHaveBeenCalledTimes(count);
		release();
	});
});
