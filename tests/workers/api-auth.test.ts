// Who may call the JSON API: API tokens (within their scopes) or the session (with the CSRF token
// on writes), one error format for every refusal, and the rate limit per API token.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseApiToken } from "../../src/auth/api-tokens.ts";
import { countRequest, DEFAULT_API_RATE_LIMIT, WINDOW_MS } from "../../src/http/rate-limit.ts";
import { apiUser, json } from "./api-fixtures.ts";
import { makeUser, mintSession, send } from "./auth-fixtures.ts";

describe("API authentication", () => {
	it("answers 401 in the one error format without a credential, or with a bad token", async () => {
		const none = await json(null, "/api/v1/processes");
		expect(none).toMatchObject({ status: 401, body: { code: "unauthorized" } });
		expect(typeof (none.body as { message: unknown }).message).toBe("string");
		const bad = await json({ id: "x", token: "baton_0123456789abcdef_nope" }, "/api/v1/processes");
		expect(bad).toMatchObject({ status: 401, body: { code: "unauthorized" } });
	});

	it("judges a request with a token by the token alone, never falling back to the cookie", async () => {
		const user = await makeUser({ isAdmin: true });
		const session = await mintSession(user);
		const res = await send("/api/v1/workflows", {
			headers: { Cookie: session.cookie, Authorization: "Bearer baton_0123456789abcdef_forged" },
		});
		expect(res.status).toBe(401);
	});

	it("serves a signed-in session, and its writes need the CSRF token", async () => {
		const user = await makeUser({ isAdmin: true });
		const session = await mintSession(user);
		const read = await send("/api/v1/workflows", { headers: { Cookie: session.cookie } });
		expect(read.status).toBe(200);
		const body = JSON.stringify({ key: "x", name: "X", nodes: [], transitions: [] });
		const headers = {
			Cookie: session.cookie,
			"Content-Type": "application/json",
			Origin: "http://localhost",
		};
		const without = await send("/api/v1/workflows/validate", { method: "POST", body, headers });
		expect(without.status).toBe(403);
		expect(await without.json()).toMatchObject({ code: "forbidden" });
		const crossSite = await send("/api/v1/workflows/validate", {
			method: "POST",
			body,
			headers: { ...headers, Origin: "https://evil.example", "Content-Type": "text/plain" },
		});
		expect(crossSite.status).toBe(403);
		const withToken = await send("/api/v1/workflows/validate", {
			method: "POST",
			body,
			headers: { ...headers, "X-CSRF-Token": session.csrf },
		});
		expect(withToken.status).toBe(200);
	});

	it("needs the scope the route says: read for reads and validation, processes:write, tasks:write, admin", async () => {
		const reader = await apiUser({ isAdmin: true, scopes: ["read"] });
		expect((await json(reader, "/api/v1/workflows")).status).toBe(200);
		expect((await json(reader, "/api/v1/workflows/validate", { body: {} })).status).toBe(200);
		for (const [path, needed] of [
			["/api/v1/processes", "processes:write"],
			[`/api/v1/tasks/p-${"0".repeat(32)}/t1/claim`, "tasks:write"],
			["/api/v1/webhooks", "admin"],
			["/api/v1/workflows", "admin"],
		] as const) {
			const res = await json(reader, path, { body: {} });
			expect(res, path).toMatchObject({
				status: 403,
				body: { code: "forbidden", details: { needed } },
			});
		}
	});

	it("answers unknown API routes with 404 in the one format", async () => {
		const me = await apiUser();
		expect(await json(me, "/api/v1/nothing-here")).toMatchObject({
			status: 404,
			body: { code: "not_found" },
		});
	});
});

describe("the rate limit per API token", () => {
	it("counts exactly: of 20 requests at once against a limit of 10, 10 pass", async () => {
		const key = `test:${crypto.randomUUID()}`;
		const now = Date.now();
		const verdicts = await Promise.all(
			Array.from({ length: 20 }, () => countRequest(env.DB, key, 10, now)),
		);
		expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
		expect(verdicts.map((v) => v.count).sort((a, b) => a - b)).toEqual(
			Array.from({ length: 20 }, (_, i) => i + 1),
		);
		const nextWindow = await countRequest(env.DB, key, 10, now + WINDOW_MS);
		expect(nextWindow).toEqual({ allowed: true, count: 1 });
	});

	it("answers 429 with Retry-After once a token used its minute, and other tokens go on", async () => {
		const me = await apiUser();
		const other = await apiUser();
		const tokenId = parseApiToken(me.token)?.id;
		const windowStart = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
		await env.DB.prepare("INSERT INTO rate_counters (key, window_start, count) VALUES (?1, ?2, ?3)")
			.bind(`token:${tokenId}`, windowStart, DEFAULT_API_RATE_LIMIT - 1)
			.run();
		expect((await json(me, "/api/v1/workflows")).status).toBe(200);
		const limited = await json(me, "/api/v1/workflows");
		expect(limited).toMatchObject({ status: 429, body: { code: "rate_limited" } });
		const retryAfter = Number(limited.headers.get("Retry-After"));
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect((await json(other, "/api/v1/workflows")).status).toBe(200);
	});
});
