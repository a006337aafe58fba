import { describe, expect, it } from "vitest";
import {
	ACCOUNT_POLICY,
	blockAfterAttempt,
	blockCaseSql,
	CLIENT_POLICY,
} from "../../../src/auth/throttle.ts";

describe("sign-in throttle schedule", () => {
	it("leaves the first attempts free", () => {
		for (let n = 1; n <= ACCOUNT_POLICY.freeAttempts; n++) {
			expect(blockAfterAttempt(ACCOUNT_POLICY, n)).toBe(0);
		}
	});

	it("slows further attempts with a doubling wait", () => {
		const waits = [4, 5, 6, 7, 8, 9].map((n) => blockAfterAttempt(ACCOUNT_POLICY, n));
		expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
	});

	it("then refuses for a while: the tenth attempt locks the account for 15 minutes", () => {
		expect(blockAfterAttempt(ACCOUNT_POLICY, 10)).toBe(15 * 60_000);
		expect(blockAfterAttempt(ACCOUNT_POLICY, 25)).toBe(15 * 60_000);
	});

	it("is more lenient per client address than per account", () => {
		expect(blockAfterAttempt(CLIENT_POLICY, 20)).toBe(0);
		expect(blockAfterAttempt(CLIENT_POLICY, 50)).toBe(CLIENT_POLICY.lockMs);
	});

	it("writes the same schedule as a SQL CASE for the atomic update", () => {
		const sql = blockCaseSql(ACCOUNT_POLICY, "n");
		expect(sql).toContain("WHEN 3 THEN 0");
		expect(sql).toContain("WHEN 4 THEN 1000");
		expect(sql).toContain("WHEN 9 THEN 32000");
		expect(sql).toContain(`ELSE ${15 * 60_000} END`);
	});
});
