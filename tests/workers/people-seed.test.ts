import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/auth/password.ts";
import {
	findUserByEmail,
	listMembers,
	listRoles,
	loadUser,
	passwordOf,
} from "../../src/db/people.ts";
import { DEMO_PASSWORD, DEMO_USERS, seedPeople } from "../../src/demo/seed-people.ts";

async function count(table: string): Promise<number> {
	const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
	return row?.n ?? 0;
}

describe("demo people", () => {
	it("seeds the conference roles, their members and an admin", async () => {
		await seedPeople(env.DB);
		const roles = await listRoles(env.DB);
		expect(roles.map((r) => [r.key, r.name])).toEqual(
			expect.arrayContaining([
				["organization", "Organization"],
				["accounting", "Accounting"],
			]),
		);
		expect((await listMembers(env.DB, "organization")).length).toBeGreaterThanOrEqual(2);
		expect((await listMembers(env.DB, "accounting")).length).toBeGreaterThanOrEqual(2);
		const admin = await findUserByEmail(env.DB, "admin@baton.local");
		expect(admin?.isAdmin).toBe(true);
	});

	it("gives every demo user the documented local password", async () => {
		await seedPeople(env.DB);
		for (const demo of DEMO_USERS) {
			const user = await findUserByEmail(env.DB, demo.email);
			const stored = user ? passwordOf(user) : null;
			expect(stored && (await verifyPassword(DEMO_PASSWORD, stored))).toBe(true);
		}
	});

	it("lets Organization start workflows", async () => {
		await seedPeople(env.DB);
		const olivia = await loadUser(env.DB, { email: "olivia@baton.local" });
		expect(olivia?.grants).toContainEqual({ permission: "workflow.start", scope: "*" });
	});

	it("is idempotent: seeding again adds nothing and keeps local changes", async () => {
		await seedPeople(env.DB);
		const before = await Promise.all(
			["users", "roles", "memberships", "permission_grants"].map(count),
		);
		await env.DB.prepare("UPDATE roles SET name = 'Org team' WHERE key = 'organization'").run();
		await seedPeople(env.DB);
		const after = await Promise.all(
			["users", "roles", "memberships", "permission_grants"].map(count),
		);
		expect(after).toEqual(before);
		const roles = await listRoles(env.DB);
		expect(roles.find((r) => r.key === "organization")?.name).toBe("Org team");
	});
});
