import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ACCOUNT_POLICY } from "../../src/auth/throttle.ts";
import { makeUser, setCookies, signInWithForm } from "./auth-fixtures.ts";

const PASSWORD = "the right password";
let client = 0;
/** A fresh client address per test, so the per-address counter of one test does not leak. */
function fromNewAddress(): Record<string, string> {
	client += 1;
	return { "CF-Connecting-IP": `198.51.100.${client}` };
}

async function attempts(key: string) {
	return env.DB.prepare("SELECT * FROM sign_in_failures WHERE key = ?1")
		.bind(key)
		.first<{ failures: number; last_failed_at: number; blocked_until: number }>();
}

afterEach(() => {
	vi.useRealTimers();
});

/** Freezes the clock the Worker reads (same isolate), so the waits are exact. */
function freezeClock(at = Date.now()): { advance: (ms: number) => void } {
	let now = at;
	vi.useFakeTimers({ toFake: ["Date"] });
	vi.setSystemTime(now);
	return {
		advance: (ms) => {
			now += ms;
			vi.setSystemTime(now);
		},
	};
}

describe("sign-in throttling", () => {
	it("slows repeated failures: past the free attempts even the right password must wait", async () => {
		const user = await makeUser({ password: PASSWORD });
		const headers = fromNewAddress();
		const clock = freezeClock();
		for (let i = 0; i <= ACCOUNT_POLICY.freeAttempts; i++) {
			const res = await signInWithForm(user.email, "wrong guess", { headers });
			expect(res.status).toBe(401);
		}
		const res = await signInWithForm(user.email, PASSWORD, { headers });
		expect(res.status).toBe(429);
		expect(res.headers.get("Retry-After")).toBe("1");
		expect(setCookies(res).baton_session).toBeUndefined();
		expect(await res.text()).toContain("Too many sign-in attempts");

		clock.advance(1001);
		expect((await signInWithForm(user.email, PASSWORD, { headers })).status).toBe(303);
	});

	it("doubles the wait with each further failure, then locks the account for 15 minutes", async () => {
		const user = await makeUser({ password: PASSWORD });
		const headers = fromNewAddress();
		const clock = freezeClock();
		const waits: number[] = [];
		for (let attempt = 1; attempt <= ACCOUNT_POLICY.lockAfter; attempt++) {
			expect((await signInWithForm(user.email, "wrong guess", { headers })).status).toBe(401);
			if (attempt <= ACCOUNT_POLICY.freeAttempts) continue;
			const refused = await signInWithForm(user.email, PASSWORD, { headers });
			expect(refused.status).toBe(429);
			const wait = Number(refused.headers.get("Retry-After"));
			waits.push(wait);
			clock.advance(wait * 1000);
		}
		expect(waits).toEqual([1, 2, 4, 8, 16, 32, 15 * 60]);
		expect((await signInWithForm(user.email, PASSWORD, { headers })).status).toBe(303);
	});

	it("keeps the count in D1, not in memory", async () => {
		const user = await makeUser({ password: PASSWORD });
		const headers = fromNewAddress();
		await signInWithForm(user.email, "wrong guess", { headers });
		await signInWithForm(user.email.toUpperCase(), "wrong again", { headers });
		const row = await attempts(`account:${user.email}`);
		expect(row?.failures).toBe(2);
	});

	it("refuses for fifteen minutes once the attempts reach the lock threshold", async () => {
		const user = await makeUser({ password: PASSWORD });
		const headers = fromNewAddress();
		// Nine attempts counted a moment ago, the last wait already over.
		await env.DB.prepare(
			"INSERT INTO sign_in_failures (key, failures, last_failed_at, blocked_until) VALUES (?1, ?2, ?3, ?3)",
		)
			.bind(`account:${user.email}`, ACCOUNT_POLICY.lockAfter - 1, Date.now() - 60_000)
			.run();
		expect((await signInWithForm(user.email, "tenth guess", { headers })).status).toBe(401);

		const res = await signInWithForm(user.email, PASSWORD, { headers });
		expect(res.status).toBe(429);
		expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
		expect(await res.text()).toContain("15 minutes");
		const row = await attempts(`account:${user.email}`);
		expect(row?.failures).toBe(ACCOUNT_POLICY.lockAfter);
	});

	it("lets the user in after the lock expires, and a success clears the count", async () => {
		const user = await makeUser({ password: PASSWORD });
		const headers = fromNewAddress();
		const longAgo = Date.now() - ACCOUNT_POLICY.lockMs - 1000;
		await env.DB.prepare(
			"INSERT INTO sign_in_failures (key, failures, last_failed_at, blocked_until) VALUES (?1, ?2, ?3, ?4)",
		)
			.bind(
				`account:${user.email}`,
				ACCOUNT_POLICY.lockAfter,
				longAgo,
				longAgo + ACCOUNT_POLICY.lockMs,
			)
			.run();
		const res = await signInWithForm(user.email, PASSWORD, { headers });
		expect(res.status).toBe(303);
		expect(await attempts(`account:${user.email}`)).toBeNull();
	});

	it("counts a burst of parallel guesses atomically, so it cannot slip past the check", async () => {
		const user = await makeUser({ password: PASSWORD });
		const headers = fromNewAddress();
		freezeClock();
		const results = await Promise.all(
			Array.from({ length: 8 }, () => signInWithForm(user.email, "parallel guess", { headers })),
		);
		const statuses = results.map((r) => r.status).sort();
		expect(statuses.filter((s) => s === 401)).toHaveLength(ACCOUNT_POLICY.freeAttempts + 1);
		expect(statuses.filter((s) => s === 429)).toHaveLength(8 - ACCOUNT_POLICY.freeAttempts - 1);
	});

	it("refuses an address that failed too often, whatever account it tries next", async () => {
		const user = await makeUser({ password: PASSWORD });
		const headers = fromNewAddress();
		await env.DB.prepare(
			"INSERT INTO sign_in_failures (key, failures, last_failed_at, blocked_until) VALUES (?1, 50, ?2, ?3)",
		)
			.bind(`client:${headers["CF-Connecting-IP"]}`, Date.now(), Date.now() + 600_000)
			.run();
		const res = await signInWithForm(user.email, PASSWORD, { headers });
		expect(res.status).toBe(429);
		expect((await signInWithForm(user.email, PASSWORD, { headers: fromNewAddress() })).status).toBe(
			303,
		);
	});
});
