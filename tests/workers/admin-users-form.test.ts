// Admin → Users → New user, posted exactly as the page renders it: the role checkboxes must carry
// the role's key, so ticking one makes the new user a member (it used to send "true" and always
// fail with "Choose roles from the list").
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findUserByEmail, listMembers, upsertRole } from "../../src/db/people.ts";
import { signedIn } from "./admin-fixtures.ts";

/** Every input of the form that POSTs to `action`: name, value, type and whether it is checked. */
function inputsOf(html: string, action: string) {
	const form = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].find(
		([, attrs = ""]) => /method="post"/i.test(attrs) && attrs.includes(`action="${action}"`),
	)?.[2];
	if (form === undefined) throw new Error(`no form posting to ${action}`);
	return [...form.matchAll(/<input\b([^>]*)>/g)].map(([, attrs = ""]) => {
		const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
		return {
			id: attr("id"),
			name: attr("name"),
			type: attr("type") ?? "text",
			value: attr("value") ?? "",
			checked: /\bchecked\b/.test(attrs),
		};
	});
}

describe("the new-user form", () => {
	it("creates a member of the ticked role when posted as rendered", async () => {
		const admin = await signedIn();
		const key = `form-role-${Date.now()}`;
		await upsertRole(env.DB, { key, name: "Form role", now: Date.now() });
		const html = await (await admin.get("/admin/users")).text();
		const inputs = inputsOf(html, "/admin/users");
		const box = inputs.find((i) => i.id === `new-user-role-${key}`);
		expect(box).toMatchObject({ name: "roles", type: "checkbox", value: key });

		const address = `robin-${Date.now()}@example.com`;
		const typed: Record<string, string> = {
			email: address,
			displayName: "Robin Role",
			password: "violet-harbour-7-quietly-sings",
		};
		const fields: Record<string, string[]> = {};
		for (const input of inputs) {
			if (!input.name) continue;
			if (input.type === "checkbox" && !(input.checked || input === box)) continue;
			const value = typed[input.name] ?? input.value;
			fields[input.name] = [...(fields[input.name] ?? []), value];
		}
		const res = await admin.post("/admin/users", fields);
		expect(res.status).toBe(303);
		const user = await findUserByEmail(env.DB, address);
		expect(user).toBeDefined();
		expect((await listMembers(env.DB, key)).map((m) => m.userId)).toEqual([user!.id]);
	});

	it("keeps the ticked roles ticked when the form comes back with an error", async () => {
		const admin = await signedIn();
		const key = `kept-role-${Date.now()}`;
		await upsertRole(env.DB, { key, name: "Kept role", now: Date.now() });
		const res = await admin.post("/admin/users", {
			email: "not an email",
			displayName: "Kim",
			roles: [key],
		});
		expect(res.status).toBe(422);
		const box = inputsOf(await res.text(), "/admin/users").find(
			(i) => i.id === `new-user-role-${key}`,
		);
		expect(box).toMatchObject({ value: key, checked: true });
	});
});
