// The audit log: every administrator's change writes an entry (in the same D1 batch where the change
// is a D1 write), read back through the API and the /admin/audit page, filtered and paged.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedIn, textOf } from "./admin-fixtures.ts";
import { apiUser, json } from "./api-fixtures.ts";
import { workflow } from "./process-fixtures.ts";

interface Entry {
	actor: string;
	action: string;
	target: string;
	details: unknown;
}

async function entries(query: string): Promise<Entry[]> {
	const admin = await apiUser({ isAdmin: true });
	const { status, body } = await json<{ items: Entry[] }>(admin, `/api/v1/audit?${query}`);
	expect(status).toBe(200);
	return body.items;
}

describe("audit log", () => {
	it("records a workflow imported through the API, with who and which version", async () => {
		const admin = await apiUser({ isAdmin: true });
		const def = workflow(
			"audited-import",
			[{ key: "a", task: "dummy", start: true, end: true }],
			[],
		);
		const res = await json<{ version: number }>(admin, "/api/v1/workflows", { body: def });
		expect(res.status).toBe(201);
		expect(await entries("target=audited-import")).toMatchObject([
			{ actor: admin.id, action: "workflow.published", details: { version: res.body.version } },
		]);
	});

	it("records people changes made on the admin pages: roles, users, memberships", async () => {
		const browser = await signedIn({ name: "Audrey Admin" });
		const me = await env.DB.prepare(
			"SELECT id FROM users WHERE display_name = ? ORDER BY created_at DESC",
		)
			.bind("Audrey Admin")
			.first<{ id: string }>();
		await browser.post("/admin/roles", { key: "auditors", name: "Auditors" });
		await browser.post("/admin/users", {
			email: `audited-${crypto.randomUUID()}@example.com`,
			displayName: "Audited User",
			password: "a-long-password-1",
			roles: "auditors",
		});
		const mine = await entries(`actor=${me?.id}`);
		const actions = mine.map((e) => e.action);
		expect(actions).toContain("role.created");
		expect(actions).toContain("user.created");
		expect(actions).toContain("role.member_added");
		expect(await entries("action=role&target=auditors")).toHaveLength(2);
	});

	it("the /admin/audit page lists entries newest first, filtered, and only admins see it", async () => {
		const browser = await signedIn({ name: "Page Admin" });
		await browser.post("/admin/roles", { key: "page-audit", name: "Page audit" });
		const page = textOf(await (await browser.get("/admin/audit?target=page-audit")).text());
		expect(page).toContain("Audit log");
		expect(page).toContain("role.created page-audit");
		expect(page).toContain("Page Admin");
		const none = textOf(await (await browser.get("/admin/audit?target=nothing-here")).text());
		expect(none).toContain("No entries");
		const worker = await signedIn({ isAdmin: false });
		expect((await worker.get("/admin/audit")).status).toBe(404);
	});
});

describe("audit log of webhooks and tokens", () => {
	it("records a webhook trigger created, changed, its secret rotated and deleted, and API tokens made", async () => {
		const admin = await apiUser({ isAdmin: true });
		await json(admin, "/api/v1/workflows", {
			body: workflow("audited-hook", [{ key: "a", task: "dummy", start: true, end: true }], []),
		});
		const key = `audited-${crypto.randomUUID().slice(0, 8)}`;
		const base = `/api/v1/webhooks/${key}`;
		const created = await json(admin, "/api/v1/webhooks", {
			body: { key, name: "Audited", kind: "start", workflowKey: "audited-hook", mapping: {} },
		});
		expect(created.status).toBe(201);
		await json(admin, base, { method: "PATCH", body: { name: "Renamed" } });
		await json(admin, `${base}/secrets`, { body: {} });
		await json(admin, base, { method: "DELETE" });
		const actions = (await entries(`target=${key}`)).map((e) => e.action);
		expect(actions).toEqual([
			"webhook.deleted",
			"webhook.secret_rotated",
			"webhook.updated",
			"webhook.created",
		]);
		const tokens = await entries(`actor=${admin.id}&action=token`);
		expect(tokens.map((e) => e.action)).toEqual(["token.created"]);
	});
});
