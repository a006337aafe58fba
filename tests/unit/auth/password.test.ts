import { describe, expect, it } from "vitest";
import {
	constantTimeEqual,
	hashPassword,
	PBKDF2_ITERATIONS,
	passwordProblem,
	verifyAgainstDummy,
	verifyPassword,
} from "../../../src/auth/password.ts";

describe("password hashing", () => {
	it("round-trips: the same password verifies against its hash", async () => {
		const stored = await hashPassword("correct horse battery staple");
		expect(stored.iterations).toBe(PBKDF2_ITERATIONS);
		expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
	});

	it("refuses a wrong password", async () => {
		const stored = await hashPassword("correct horse battery staple");
		expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
		expect(await verifyPassword("", stored)).toBe(false);
	});

	it("salts every hash, so the same password never gives the same hash", async () => {
		const a = await hashPassword("same password", 1000);
		const b = await hashPassword("same password", 1000);
		expect(a.salt).not.toBe(b.salt);
		expect(a.hash).not.toBe(b.hash);
	});

	it("verifies with the iteration count stored beside the hash", async () => {
		const cheap = await hashPassword("old account", 1000);
		expect(await verifyPassword("old account", cheap)).toBe(true);
		expect(await verifyPassword("old account", { ...cheap, iterations: 1001 })).toBe(false);
	});

	it("treats canonically equal Unicode spellings as the same password", async () => {
		const stored = await hashPassword("caf\u00e9 au lait", 1000);
		expect(await verifyPassword("cafe\u0301 au lait", stored)).toBe(true);
	});

	it("refuses an over-long password without hashing it", async () => {
		const stored = await hashPassword("short", 1000);
		expect(await verifyPassword("x".repeat(2000), stored)).toBe(false);
		expect(passwordProblem("x".repeat(2000))).toMatch(/at most/);
		expect(passwordProblem("short")).toMatch(/at least/);
		expect(passwordProblem("long enough now")).toBeNull();
	});

	it("answers false for the dummy check used for unknown emails", async () => {
		expect(await verifyAgainstDummy("anything")).toBe(false);
	});

	it("compares byte strings of any length", () => {
		expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
		expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
		expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
	});
});
