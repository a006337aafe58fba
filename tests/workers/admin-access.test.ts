// Who reaches the admin pages: admins only. Everyone else gets 404 on every page and every action
// (nobody learns they exist), and every form needs the session's CSRF token from our own origin.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDraft, startDraftFromVersion } from "../../src/db/workflows.ts";
import { type Browser, signedIn } from "./admin-fixtures.ts";
import { makeUser, postForm, send } from "./auth-fixtures.ts";
import { publish, start, workflow } from "./process-fixtures.ts";

const K = "/admin/workflows/guarded";
let userId = "";
let processId = "";

const PAGES = () => [
	"/admin",
	"/admin/workflows",
	K,
	`${K}/draft`,
	`${K}/draft/export.json`,
	`${K}/draft/export.bpmn`,
	`${K}/draft/params-fields?task=http&params_type=dummy`,
	`${K}/versions/1`,
	`${K}/versions/1/export.json`,
	`${K}/versions/1/export.bpmn`,
	`${K}/diff?from=1&to=draft`,
	"/admin/import",
	"/admin/users",
	`/admin/users/${userId}`,
	"/admin/roles",
	"/admin/roles/guards",
	"/admin/incidents",
];

const ACTIONS = () => [
	"/admin/workflows",
	`${K}/draft/settings`,
	`${K}/draft/nodes`,
	`${K}/draft/nodes/a`,
	`${K}/draft/nodes/a/delete`,
	`${K}/draft/transitions`,
	`${K}/draft/transitions/0`,
	`${K}/draft/transitions/0/delete`,
	`${K}/draft/transitions/0/move`,
	`${K}/draft/json`,
	`${K}/draft/check`,
	`${K}/draft/publish`,
	`${K}/draft/discard`,
	`${K}/versions/1/edit`,
	"/admin/import",
	"/admin/users",
	`/admin/users/${userId}/profile`,
	`/admin/users/${userId}/active`,
	`/admin/users/${userId}/password`,
	`/admin/users/${userId}/password/reset`,
	`/admin/users/${userId}/sessions/end`,
	`/admin/users/${userId}/roles`,
	`/admin/users/${userId}/roles/guards/remove`,
	"/admin/roles",
	"/admin/roles/guards",
	"/admin/roles/guards/members",
	`/admin/roles/guards/members/${userId}/remove`,
	"/admin/grants",
	"/admin/grants/revoke",
	"/admin/incidents/retry",
	"/admin/incidents/revoke",
	"/admin/incidents/stop",
	"/admin/incidents/assign",
	"/admin/incidents/budget",
	"/admin/incidents/resolve",
];

let admin: Browser;

beforeAll(async () => {
	await publish(
		workflow(
			"guarded",
			[
				{ key: "a", task: "question", start: true, params: { title: "Hello?" } },
				{ key: "b", task: "dummy", end: true },
			],
			[{ from: "a", to: "b" }],
		),
	);
	await startDraftFromVersion(env.DB, "guarded", 1, { now: Date.now() });
	userId = (await makeUser({ name: "target", roles: ["guards"] })).id;
	processId = (await start("guarded")).processId;
	admin = await signedIn();
});

describe("admin access", () => {
	it("serves every admin page to an admin", async () => {
		for (const path of PAGES()) {
			const res = await admin.get(path);
			expect(res.status, path).toBe(200);
		}
	});

	it("answers 404 to a signed-in non-admin on every admin page and action, changing nothing", async () => {
		const worker = await signedIn({ isAdmin: false, roles: ["guards"] });
		const draft = await getDraft(env.DB, "guarded");
		for (const path of PAGES()) {
			const res = await worker.get(path);
			expect(res.status, path).toBe(404);
			expect(await res.text(), path).not.toContain("guarded");
		}
		for (const path of ACTIONS()) {
			const res = await worker.post(path, {
				revision: String(draft?.revision),
				key: "hijack",
				name: "Hijack",
				process: processId,
				active: "false",
				password: "a-new-password-9",
			});
			expect(res.status, path).toBe(404);
		}
		expect(await getDraft(env.DB, "guarded")).toEqual(draft);
		const again = await worker.get("/admin/incidents", { "HX-Request": "true" });
		expect(again.status).toBe(404);
	});

	it("sends an anonymous visitor to sign in", async () => {
		const res = await send("/admin/workflows");
		expect([302, 303]).toContain(res.status);
		expect(res.headers.get("Location")).toContain("/sign-in");
	});

	it("refuses every admin form without the session's CSRF token, or from another origin (403)", async () => {
		const draft = await getDraft(env.DB, "guarded");
		for (const path of ACTIONS()) {
			const missing = await postForm(
				path,
				{ revision: String(draft?.revision) },
				{ Cookie: admin.session.cookie },
			);
			expect(missing.status, path).toBe(403);
			const wrong = await postForm(
				path,
				{ _csrf: "forged", revision: String(draft?.revision) },
				{ Cookie: admin.session.cookie },
			);
			expect(wrong.status, path).toBe(403);
			const foreign = await postForm(
				path,
				{ _csrf: admin.session.csrf },
				{ Cookie: admin.session.cookie, Origin: "https://evil.example" },
			);
			expect(foreign.status, path).toBe(403);
		}
		expect(await getDraft(env.DB, "guarded")).toEqual(draft);
	});
});
