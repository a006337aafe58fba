import { describe, expect, it } from "vitest";
import { generateApiToken, hashSecret, parseApiToken } from "../../../src/auth/api-tokens.ts";

describe("API token format", () => {
	it("generates a token whose secret is stored only as its SHA-256", async () => {
		const generated = await generateApiToken();
		const parsed = parseApiToken(generated.token);
		expect(parsed?.id).toBe(generated.id);
		expect(generated.secretHash).toBe(await hashSecret(parsed!.secret));
		expect(generated.secretHash).not.toContain(parsed!.secret);
		expect(generated.secretHash).toMatch(/^[0-9a-f]{64}$/);
	});

	it("never generates the same token twice", async () => {
		const a = await generateApiToken();
		const b = await generateApiToken();
		expect(a.id).not.toBe(b.id);
		expect(a.token).not.toBe(b.token);
	});

	it("rejects strings that are not tokens", () => {
		expect(parseApiToken("")).toBeNull();
		expect(parseApiToken("baton_xyz_abc")).toBeNull();
		expect(parseApiToken(`baton_0123456789abcdef_${"a".repeat(42)}`)).toBeNull();
		expect(parseApiToken(`other_0123456789abcdef_${"a".repeat(43)}`)).toBeNull();
	});
});
