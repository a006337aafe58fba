import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashSecret, parseApiToken } from "../../src/auth/api-tokens.ts";
import { createApiToken } from "../../src/auth/credential-store.ts";
import { makeUser, mintSession, postForm, send } from "./auth-fixtures.ts";

async function createThroughPage(
	user: { id: string; sessionVersion: number },
	fields: Record<string, string | string[]>,
) {
	const session = await mintSession(user);
	const res = await postForm(
		"/account/tokens",
		{ _csrf: session.csrf, ...fields },
		{
			Cookie: session.cookie,
		},
	);
	const html = await res.text();
	const token = /value="(baton_[0-9a-f]{16}_[A-Za-z0-9_-]{43})"/.exec(html)?.[1];
	return { res, html, token, session };
}

function callApi(token: string, path = "/api/me", init: RequestInit = {}) {
	return send(path, {
		...init,
		headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
	});
}

async function tokenRow(id: string) {
	return env.DB.prepare("SELECT * FROM api_tokens WHERE id = ?1")
		.bind(id)
		.first<{ secret_hash: string; last_used_at: number | null; revoked_at: number | null }>();
}

describe("API tokens", () => {
	it("are shown once, on creation, and never again", async () => {
		const user = await makeUser();
		const { res, token, session } = await createThroughPage(user, {
			name: "deploy script",
			scopes: ["read", "tasks:write"],
			expires: "90",
		});
		expect(res.status).toBe(201);
		expect(res.headers.get("Cache-Control")).toBe("no-store");
		expect(token).toBeDefined();
		const later = await (await send("/account", { headers: { Cookie: session.cookie } })).text();
		expect(later).toContain("deploy script");
		expect(later).not.toContain(token);
	});

	it("are stored hashed: the row holds the SHA-256 of the secret, never the token", async () => {
		const user = await makeUser();
		const { token } = await createThroughPage(user, { name: "ci", scopes: "read", expires: "30" });
		const parsed = parseApiToken(token ?? "");
		const row = await tokenRow(parsed?.id ?? "");
		expect(row?.secret_hash).toBe(await hashSecret(parsed?.secret ?? ""));
		const dump = JSON.stringify(await env.DB.prepare("SELECT * FROM api_tokens").all());
		expect(dump).not.toContain(parsed?.secret);
	});

	it("authenticate the JSON API as their user, with their scopes", async () => {
		const user = await makeUser({ roles: ["accounting"] });
		const { token } = await createThroughPage(user, { name: "ci", scopes: "read", expires: "30" });
		const res = await callApi(token ?? "");
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({
			id: user.id,
			via: "api-token",
			roles: ["accounting"],
			scopes: ["read"],
		});
	});

	it("record when they were last used", async () => {
		const user = await makeUser();
		const { token } = await createThroughPage(user, { name: "ci", scopes: "read", expires: "30" });
		const id = parseApiToken(token ?? "")?.id ?? "";
		expect((await tokenRow(id))?.last_used_at).toBeNull();
		const before = Date.now();
		await callApi(token ?? "");
		expect((await tokenRow(id))?.last_used_at).toBeGreaterThanOrEqual(before);
	});

	it("enforce their scope: a read token cannot write", async () => {
		const user = await makeUser({ isAdmin: true });
		const { token } = await createThroughPage(user, { name: "ro", scopes: "read", expires: "30" });
		for (const path of [
			"/api/v1/tasks/p-00000000000000000000000000000000%2Ft1/values",
			"/api/v1/processes",
			"/api/v1/workflows",
		]) {
			const res = await callApi(token ?? "", path, { method: "POST", body: "{}" });
			expect(res.status).toBe(403);
			expect(await res.json()).toMatchObject({ code: "forbidden" });
		}
	});

	it("let a tasks:write token past the scope check for task writes only, with no CSRF token", async () => {
		const user = await makeUser();
		const { token } = await createThroughPage(user, {
			name: "tasks",
			scopes: ["read", "tasks:write"],
			expires: "30",
		});
		const json = { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } };
		const taskWrite = await callApi(
			token ?? "",
			"/api/v1/tasks/p-00000000000000000000000000000000%2Ft1/values",
			json,
		);
		expect([401, 403]).not.toContain(taskWrite.status);
		expect((await callApi(token ?? "", "/api/v1/processes", json)).status).toBe(403);
	});

	it("give the admin scope to admins only", async () => {
		const user = await makeUser();
		const { res, html } = await createThroughPage(user, {
			name: "x",
			scopes: "admin",
			expires: "30",
		});
		expect(res.status).toBe(422);
		expect(html).toContain("Only administrators");
	});

	it("K1 serve the external task types an admin names with external-tasks, and no other", async () => {
		const admin = await makeUser({ isAdmin: true });
		const { res, html, token } = await createThroughPage(admin, {
			name: "pdf workers",
			scopes: ["read", "external-tasks"],
			taskTypes: "render-pdf, sign-pdf render-pdf",
			expires: "90",
		});
		expect(res.status).toBe(201);
		expect(html).toContain("Task types: render-pdf, sign-pdf");
		const me = await callApi(token ?? "");
		expect(await me.json()).toMatchObject({
			scopes: ["read", "external-tasks"],
			externalTaskTypes: ["render-pdf", "sign-pdf"],
		});
	});

	it("K1 refuse external-tasks without task types, task types without it, and it for non-admins", async () => {
		const admin = await makeUser({ isAdmin: true });
		const none = await createThroughPage(admin, {
			name: "x",
			scopes: "external-tasks",
			taskTypes: " ",
			expires: "30",
		});
		expect(none.res.status).toBe(422);
		expect(none.html).toContain("Name the task types this token");
		const stray = await createThroughPage(admin, {
			name: "x",
			scopes: "read",
			taskTypes: "render-pdf",
			expires: "30",
		});
		expect(stray.res.status).toBe(422);
		expect(stray.html).toContain("Task types need the external-tasks scope.");
		const bad = await createThroughPage(admin, {
			name: "x",
			scopes: "external-tasks",
			taskTypes: "render pdf!",
			expires: "30",
		});
		expect(bad.res.status).toBe(422);
		expect(bad.html).toContain("is not a task type");
		const person = await makeUser();
		const refused = await createThroughPage(person, {
			name: "x",
			scopes: "external-tasks",
			taskTypes: "render-pdf",
			expires: "30",
		});
		expect(refused.res.status).toBe(422);
		expect(refused.html).toContain(
			"Only administrators can give a token the external-tasks scope.",
		);
		expect(
			await (await send("/account", { headers: { Cookie: refused.session.cookie } })).text(),
		).not.toContain('value="external-tasks"');
	});

	it("need a name and at least one scope", async () => {
		const user = await makeUser();
		const { res, html } = await createThroughPage(user, { name: " ", expires: "30" });
		expect(res.status).toBe(422);
		expect(html).toContain("Give the token a name.");
		expect(html).toContain("Choose at least one scope.");
	});

	it("can be revoked by their owner, and then stop working", async () => {
		const user = await makeUser();
		const { token, session } = await createThroughPage(user, {
			name: "ci",
			scopes: "read",
			expires: "30",
		});
		const id = parseApiToken(token ?? "")?.id ?? "";
		const res = await postForm(
			`/account/tokens/${id}/revoke`,
			{ _csrf: session.csrf },
			{
				Cookie: session.cookie,
			},
		);
		expect(res.status).toBe(303);
		expect((await tokenRow(id))?.revoked_at).not.toBeNull();
		expect((await callApi(token ?? "")).status).toBe(401);
	});

	it("cannot be revoked by someone else (404, and the token keeps working)", async () => {
		const owner = await makeUser();
		const { token } = await createThroughPage(owner, { name: "ci", scopes: "read", expires: "30" });
		const id = parseApiToken(token ?? "")?.id ?? "";
		const other = await mintSession(await makeUser());
		const res = await postForm(
			`/account/tokens/${id}/revoke`,
			{ _csrf: other.csrf },
			{
				Cookie: other.cookie,
			},
		);
		expect(res.status).toBe(404);
		expect((await callApi(token ?? "")).status).toBe(200);
	});

	it("stop working once expired", async () => {
		const user = await makeUser();
		const { token } = await createApiToken(env.DB, {
			userId: user.id,
			name: "old",
			scopes: ["read"],
			expiresAt: Date.now() - 1000,
			now: Date.now() - 100_000,
		});
		expect((await callApi(token)).status).toBe(401);
	});

	it("are refused when malformed or altered", async () => {
		const user = await makeUser();
		const { token } = await createApiToken(env.DB, {
			userId: user.id,
			name: "t",
			scopes: ["read"],
			expiresAt: null,
			now: Date.now(),
		});
		const altered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
		expect((await callApi(altered)).status).toBe(401);
		expect((await callApi("not-a-token")).status).toBe(401);
	});

	it("open the JSON API only, not the pages", async () => {
		const user = await makeUser();
		const { token } = await createApiToken(env.DB, {
			userId: user.id,
			name: "t",
			scopes: ["read", "admin"],
			expiresAt: null,
			now: Date.now(),
		});
		expect((await callApi(token, "/account")).status).toBe(401);
	});
});
