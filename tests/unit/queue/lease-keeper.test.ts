// T6: a job holds a short lease from its claim, renewed by its worker while it runs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CLAIM_LEASE_MS, LEASE_MS } from "../../../src/engine/index.ts";
import { keepLease, RENEW_EVERY_MS } from "../../../src/queue/lease-keeper.ts";

describe("the lease keeper of a claimed job", () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it("T6 renews well inside the short lease, so two renewals may be lost before it lapses", () => {
		expect(RENEW_EVERY_MS * 3).toBeLessThanOrEqual(CLAIM_LEASE_MS);
	});

	it("T6 a job that ends before the first renewal costs no renewal", async () => {
		const renew = vi.fn(async () => undefined);
		const stop = keepLease(renew);
		await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS - 1);
		stop();
		await vi.advanceTimersByTimeAsync(10 * RENEW_EVERY_MS);
		expect(renew).not.toHaveBeenCalled();
	});

	it("T6 a long job's lease is renewed while it runs, and no more once it ended", async () => {
		const renew = vi.fn(async () => undefined);
		const stop = keepLease(renew);
		await vi.advanceTimersByTimeAsync(3 * RENEW_EVERY_MS + 1);
		expect(renew).toHaveBeenCalledTimes(3);
		stop();
		await vi.advanceTimersByTimeAsync(10 * RENEW_EVERY_MS);
		expect(renew).toHaveBeenCalledTimes(3);
	});

	it("T6 a renewal that fails does not stop the next ones", async () => {
		let calls = 0;
		const renew = vi.fn(async () => {
			calls += 1;
			if (calls === 1) throw new Error("the object was unreachable");
		});
		const stop = keepLease(renew);
		await vi.advanceTimersByTimeAsync(2 * RENEW_EVERY_MS + 1);
		expect(renew).toHaveBeenCalledTimes(2);
		stop();
	});

	it("T6 renewals stop at LEASE_MS, when the job's abort signal fires: a hung job is let go", async () => {
		const renew = vi.fn(async () => undefined);
		const stop = keepLease(renew);
		await vi.advanceTimersByTimeAsync(LEASE_MS + 5 * RENEW_EVERY_MS);
		expect(renew.mock.calls.length).toBeLessThanOrEqual(Math.ceil(LEASE_MS / RENEW_EVERY_MS));
		const count = renew.mock.calls.length;
		await vi.advanceTimersByTimeAsync(5 * RENEW_EVERY_MS);
		expect(renew).toHaveBeenCalledTimes(count);
		stop();
	});
});
