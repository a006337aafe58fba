// People through the admin pages: create users (with or without a password), set and reset a
// password, deactivate, memberships, roles, and who may start which workflow. Each change holds on
// the person's very next request.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findUserByEmail, listGrants, listMembers, loadUser } from "../../src/db/people.ts";
import { signedIn, textOf } from "./admin-fixtures.ts";
import { mintSession, send, signInWithForm } from "./auth-fixtures.ts";
import { publish, workflow } from "./process-fixtures.ts";

let n = 0;
const email = (name: string) => `${name}-${++n}-${Date.now()}@example.com`;

describe("users and roles", () => {
	it("creates a user with a password and a role; they sign in with it", async () => {
		const admin = await signedIn();
		await admin.post("/admin/roles", { key: "clerks", name: "Clerks" });
		const address = email("clara");
		const res = await admin.post("/admin/users", {
			email: address,
			displayName: "Clara Clerk",
			password: "a-long-password-1",
			roles: ["clerks"],
		});
		expect(res.status).toBe(303);
		const user = await findUserByEmail(env.DB, address);
		expect(user).toMatchObject({ displayName: "Clara Clerk", isAdmin: false, active: true });
		expect((await listMembers(env.DB, "clerks")).map((m) => m.userId)).toEqual([user!.id]);
		expect(res.headers.get("Location")).toBe(`/admin/users/${user!.id}?notice=created`);
		expect((await signInWithForm(address, "a-long-password-1")).status).toBe(303);
		const page = textOf(await (await admin.get(`/admin/users/${user!.id}`)).text());
		expect(page).toContain("Clara Clerk");
		expect(page).toContain("Clerks");
	});

	it("refuses a bad email, a taken email and a short password with 422, keeping what was typed", async () => {
		const admin = await signedIn();
		const taken = email("taken");
		await admin.post("/admin/users", { email: taken, displayName: "Taken" });
		const bad = await admin.post("/admin/users", {
			email: "not-an-email",
			displayName: "Bo",
			password: "short",
		});
		expect(bad.status).toBe(422);
		const html = await bad.text();
		expect(html).toContain('value="not-an-email"');
		expect(textOf(html)).toContain("Write an email address");
		expect(textOf(html)).toContain("Use at least 10 characters.");
		const dup = await admin.post("/admin/users", {
			email: taken.toUpperCase(),
			displayName: "Again",
		});
		expect(dup.status).toBe(422);
		expect(textOf(await dup.text())).toContain("There is already a user with this email.");
	});

	it("sets a password, resets one to a generated password shown once, and each ends the old sessions", async () => {
		const admin = await signedIn();
		const address = email("pat");
		await admin.post("/admin/users", {
			email: address,
			displayName: "Pat",
			password: "first-password-1",
		});
		const user = (await findUserByEmail(env.DB, address))!;
		const old = await mintSession(user);
		expect((await send("/account", { headers: { Cookie: old.cookie } })).status).toBe(200);

		expect(
			(await admin.post(`/admin/users/${user.id}/password`, { password: "short" })).status,
		).toBe(422);
		const set = await admin.post(`/admin/users/${user.id}/password`, {
			password: "second-password-2",
		});
		expect(set.status).toBe(303);
		expect((await send("/account", { headers: { Cookie: old.cookie } })).status).not.toBe(200);
		expect((await signInWithForm(address, "second-password-2")).status).toBe(303);

		const reset = await admin.post(`/admin/users/${user.id}/password/reset`);
		expect(reset.status).toBe(200);
		expect(reset.headers.get("Cache-Control")).toBe("no-store");
		const generated = /<code class="secret">([^<]+)<\/code>/.exec(await reset.text())?.[1];
		expect(generated).toBeTruthy();
		expect((await signInWithForm(address, "second-password-2")).status).not.toBe(303);
		expect((await signInWithForm(address, generated!)).status).toBe(303);
	});

	it("deactivates a user (their session stops at once) and activates them again; an admin cannot deactivate themself", async () => {
		const admin = await signedIn();
		const address = email("dan");
		await admin.post("/admin/users", {
			email: address,
			displayName: "Dan",
			password: "dans-password-1",
		});
		const user = (await findUserByEmail(env.DB, address))!;
		const session = await mintSession(user);
		const off = await admin.post(`/admin/users/${user.id}/active`, { active: "false" });
		expect(off.headers.get("Location")).toBe(`/admin/users/${user.id}?notice=deactivated`);
		expect((await findUserByEmail(env.DB, address))?.active).toBe(false);
		expect((await send("/account", { headers: { Cookie: session.cookie } })).status).not.toBe(200);
		expect((await signInWithForm(address, "dans-password-1")).status).not.toBe(303);
		await admin.post(`/admin/users/${user.id}/active`, { active: "true" });
		expect((await signInWithForm(address, "dans-password-1")).status).toBe(303);

		const self = await admin.post(`/admin/users/${admin.userId}/active`, { active: "false" });
		expect(self.status).toBe(409);
	});

	it("manages memberships from the role page and the user page", async () => {
		const admin = await signedIn();
		await admin.post("/admin/roles", { key: "packers", name: "Packers" });
		const dup = await admin.post("/admin/roles", { key: "packers", name: "Again" });
		expect(dup.status).toBe(422);
		const address = email("pia");
		await admin.post("/admin/users", { email: address, displayName: "Pia" });
		const user = (await findUserByEmail(env.DB, address))!;
		await admin.post("/admin/roles/packers/members", { user: user.id });
		expect((await loadUser(env.DB, { id: user.id }))?.roles).toEqual(["packers"]);
		await admin.post(`/admin/users/${user.id}/roles/packers/remove`);
		expect((await loadUser(env.DB, { id: user.id }))?.roles).toEqual([]);
		await admin.post(`/admin/users/${user.id}/roles`, { role: "packers" });
		await admin.post("/admin/roles/packers", { name: "Packing team" });
		const page = textOf(await (await admin.get("/admin/roles/packers")).text());
		expect(page).toContain("Packing team");
		expect(page).toContain("Pia");
		await admin.post(`/admin/roles/packers/members/${user.id}/remove`);
		expect(await listMembers(env.DB, "packers")).toEqual([]);
	});

	it("grants and revokes who may start a workflow, for a role and for a user", async () => {
		await publish(workflow("orders", [{ key: "a", task: "dummy", start: true, end: true }], []));
		const admin = await signedIn();
		await admin.post("/admin/roles", { key: "sales", name: "Sales" });
		const address = email("sam");
		await admin.post("/admin/users", { email: address, displayName: "Sam", roles: ["sales"] });
		const user = (await findUserByEmail(env.DB, address))!;
		const grant = {
			subjectKind: "role",
			subjectId: "sales",
			permission: "workflow.start",
			scope: "orders",
			back: "/admin/workflows/orders",
		};
		const res = await admin.post("/admin/grants", grant);
		expect(res.headers.get("Location")).toBe("/admin/workflows/orders?notice=updated");
		expect((await loadUser(env.DB, { id: user.id }))?.grants).toEqual([
			{ permission: "workflow.start", scope: "orders" },
		]);
		const page = textOf(await (await admin.get("/admin/workflows/orders")).text());
		expect(page).toContain("Who may start it");
		expect(page).toContain("Sales (role) Start processes This workflow");

		await admin.post("/admin/grants", {
			subject: `user:${user.id}`,
			permission: "process.see_all",
			scope: "*",
			back: `/admin/users/${user.id}`,
		});
		expect((await loadUser(env.DB, { id: user.id }))?.grants).toContainEqual({
			permission: "process.see_all",
			scope: "*",
		});
		await admin.post("/admin/grants/revoke", grant);
		expect((await listGrants(env.DB)).filter((g) => g.subjectId === "sales")).toEqual([]);
		const offsite = await admin.post("/admin/grants", { ...grant, back: "https://evil.example/" });
		expect(offsite.headers.get("Location")).toBe("/admin?notice=updated");
		const unknown = await admin.post("/admin/grants", { ...grant, scope: "no-such-workflow" });
		expect(unknown.status).toBe(400);
	});
});
