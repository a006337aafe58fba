import { describe, expect, it } from "vitest";
import { csrfTokenFor, isValidCsrfToken } from "../../../src/auth/csrf.ts";
import type { SessionKey } from "../../../src/auth/session.ts";

const current: SessionKey = { kid: "k2", secret: "current-secret-current-secret-000001" };
const previous: SessionKey = { kid: "k1", secret: "previous-secret-previous-secret-0002" };

describe("CSRF tokens", () => {
	it("accept the token made for the same session", async () => {
		const token = await csrfTokenFor([current], "session:abc");
		expect(await isValidCsrfToken([current], "session:abc", token)).toBe(true);
	});

	it("refuse a token made for another session", async () => {
		const token = await csrfTokenFor([current], "session:someone-else");
		expect(await isValidCsrfToken([current], "session:abc", token)).toBe(false);
	});

	it("refuse a missing, empty, malformed or altered token", async () => {
		const token = await csrfTokenFor([current], "session:abc");
		expect(await isValidCsrfToken([current], "session:abc", undefined)).toBe(false);
		expect(await isValidCsrfToken([current], "session:abc", "")).toBe(false);
		expect(await isValidCsrfToken([current], "session:abc", "no-dot")).toBe(false);
		expect(await isValidCsrfToken([current], "session:abc", `${token}x`)).toBe(false);
		expect(await isValidCsrfToken([current], "session:abc", `zz${token.slice(2)}`)).toBe(false);
	});

	it("accept a token of the previous key during rotation, not after it is retired", async () => {
		const token = await csrfTokenFor([previous], "session:abc");
		expect(await isValidCsrfToken([current, previous], "session:abc", token)).toBe(true);
		expect(await isValidCsrfToken([current], "session:abc", token)).toBe(false);
	});
});
