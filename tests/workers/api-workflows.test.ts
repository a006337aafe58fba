// /api/v1/workflows: list, export a version, validate (every problem at once), import and publish.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDraftWorkflow, getDraft } from "../../src/db/workflows.ts";
import type { WorkflowDefinition } from "../../src/engine/index.ts";
import { apiUser, json } from "./api-fixtures.ts";
import { workflow } from "./process-fixtures.ts";

const definition = (key: string): WorkflowDefinition =>
	workflow(
		key,
		[
			{
				key: "ask",
				task: "ask",
				start: true,
				params: { questions: { ok: { label: "OK?", type: "checkbox" } } },
			},
			{ key: "end", task: "dummy", end: true },
		],
		[{ from: "ask", to: "end" }],
		{ description: "A round trip" },
	);

const broken = {
	key: "broken",
	name: "Broken",
	nodes: [
		{ key: "a", task: "no-such-type" },
		{ key: "b", task: "dummy", end: true },
	],
	transitions: [
		{ from: "a", to: "missing" },
		{ from: "b", to: "a", condition: "= result >" },
	],
};

describe("the workflow API", () => {
	it("validates a definition and returns every problem with where it is", async () => {
		const reader = await apiUser({ scopes: ["read"] });
		const res = await json<{ valid: boolean; problems: { code: string; path: string }[] }>(
			reader,
			"/api/v1/workflows/validate",
			{ body: broken },
		);
		expect(res.status).toBe(200);
		expect(res.body.valid).toBe(false);
		expect(res.body.problems.length).toBeGreaterThanOrEqual(3);
		expect(res.body.problems.map((p) => p.path)).toEqual(
			expect.arrayContaining(["nodes[0].task", "transitions[0].to"]),
		);
		const ok = await json(reader, "/api/v1/workflows/validate", { body: definition("fine") });
		expect(ok.body).toEqual({ valid: true, problems: [], warnings: [] });
	});

	it("refuses to import an invalid definition with 422 invalid_definition and every problem", async () => {
		const admin = await apiUser({ isAdmin: true });
		const validated = await json<{ problems: unknown[] }>(admin, "/api/v1/workflows/validate", {
			body: broken,
		});
		const res = await json<{ code: string; details: unknown[] }>(admin, "/api/v1/workflows", {
			body: broken,
		});
		expect(res.status).toBe(422);
		expect(res.body.code).toBe("invalid_definition");
		expect(res.body.details).toEqual(validated.body.problems);
		expect((await json(admin, "/api/v1/workflows/broken")).status).toBe(404);
	});

	it("imports, exports and re-imports a definition: the versions hold the same definition", async () => {
		const admin = await apiUser({ isAdmin: true });
		const first = await json(admin, "/api/v1/workflows", { body: definition("round-trip") });
		expect(first).toMatchObject({
			status: 201,
			body: { key: "round-trip", version: 1, warnings: [] },
		});
		const exported = await json<{ definition: WorkflowDefinition; version: number }>(
			admin,
			"/api/v1/workflows/round-trip",
		);
		expect(exported.body.version).toBe(1);
		expect(exported.body.definition).toEqual(definition("round-trip"));
		const second = await json(admin, "/api/v1/workflows", { body: exported.body.definition });
		expect(second.body).toMatchObject({ version: 2 });
		const v1 = await json<{ definition: unknown; versions: { version: number }[] }>(
			admin,
			"/api/v1/workflows/round-trip?version=1",
		);
		const v2 = await json<{ definition: unknown }>(admin, "/api/v1/workflows/round-trip?version=2");
		expect(v2.body.definition).toEqual(v1.body.definition);
		expect(v1.body.versions.map((v) => v.version)).toEqual([2, 1]);
		const list = await json<{ items: { key: string; latestVersion: number; canStart: boolean }[] }>(
			admin,
			"/api/v1/workflows",
		);
		expect(list.body.items.find((w) => w.key === "round-trip")).toMatchObject({
			latestVersion: 2,
			canStart: true,
		});
	});

	it("publishes the saved draft as the next version, guarded by its revision", async () => {
		const admin = await apiUser({ isAdmin: true });
		await createDraftWorkflow(env.DB, definition("drafted"), {
			now: Date.now(),
			savedBy: admin.id,
		});
		const stale = await json(admin, "/api/v1/drafts/drafted/publish", { body: { revision: 7 } });
		expect(stale).toMatchObject({ status: 409, body: { code: "conflict" } });
		const res = await json(admin, "/api/v1/drafts/drafted/publish", { body: { revision: 1 } });
		expect(res).toMatchObject({ status: 201, body: { key: "drafted", version: 1 } });
		expect(await getDraft(env.DB, "drafted")).toBeNull();
		const again = await json(admin, "/api/v1/drafts/drafted/publish", { method: "POST" });
		expect(again).toMatchObject({ status: 404, body: { code: "not_found" } });
	});

	it("lets only admins import or publish, and only with the admin scope", async () => {
		const user = await apiUser();
		expect((await json(user, "/api/v1/workflows", { body: definition("nope") })).status).toBe(403);
		const adminWithoutScope = await apiUser({ isAdmin: true, scopes: ["read", "processes:write"] });
		const res = await json(adminWithoutScope, "/api/v1/workflows", { body: definition("nope") });
		expect(res).toMatchObject({
			status: 403,
			body: { code: "forbidden", details: { needed: "admin" } },
		});
		expect((await json(user, "/api/v1/workflows")).status).toBe(200);
	});

	it("refuses a body over 64 KiB with 413 and a body that is not JSON with 400", async () => {
		const admin = await apiUser({ isAdmin: true });
		const big = { ...definition("big"), description: "x".repeat(70 * 1024) };
		expect(await json(admin, "/api/v1/workflows", { body: big })).toMatchObject({
			status: 413,
			body: { code: "payload_too_large" },
		});
		const text = await json(admin, "/api/v1/workflows", {
			body: "key=x",
			headers: { "Content-Type": "text/plain" },
		});
		expect(text).toMatchObject({ status: 400, body: { code: "invalid_request" } });
	});
});
