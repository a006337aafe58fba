import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("health", () => {
	it("answers without a session", async () => {
		const res = await exports.default.fetch("http://localhost/health");
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ ok: true });
	});
});
