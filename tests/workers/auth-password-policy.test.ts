// Passwords set by an admin (a new user, a password set on the user's page) must be hard to guess,
// not only long: common passwords, keyboard rows and the person's own name are refused with a
// message that says why. The demo password stays usable (the seed writes it directly, and it
// passes the check anyway).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { passwordProblem } from "../../src/auth/password.ts";
import { findUserByEmail } from "../../src/db/people.ts";
import { DEMO_PASSWORD } from "../../src/demo/seed-people.ts";
import { signedIn, textOf } from "./admin-fixtures.ts";
import { signInWithForm } from "./auth-fixtures.ts";

let n = 0;
const email = (name: string) => `${name}-${++n}-${Date.now()}@example.com`;

describe("the password policy", () => {
	it.each([
		["password12", "This is a commonly used password."],
		["qwertyuiop1", "This is similar to a commonly used password."],
		["1234567890", "This is a frequently used password."],
	])("refuses %s for a new user with 422 and says why", async (password, why) => {
		const admin = await signedIn();
		const address = email("weak");
		const res = await admin.post("/admin/users", {
			email: address,
			displayName: "Wendy Weak",
			password,
		});
		expect(res.status).toBe(422);
		const page = textOf(await res.text());
		expect(page).toContain("This password is too easy to guess.");
		expect(page).toContain(why);
		expect(await findUserByEmail(env.DB, address)).toBeUndefined();
	});

	it("refuses a password made of the person's own name, which would pass for someone else", async () => {
		const admin = await signedIn();
		const password = "zebulonquartermain2";
		const stranger = await admin.post("/admin/users", {
			email: email("someone"),
			displayName: "Someone Else",
			password,
		});
		expect(stranger.status).toBe(303);
		const res = await admin.post("/admin/users", {
			email: email("zebulon.quartermain"),
			displayName: "Zebulon Quartermain",
			password,
		});
		expect(res.status).toBe(422);
		expect(textOf(await res.text())).toContain(
			"There should not be any personal or page related data. Leave your name and email out of it.",
		);
	});

	it("refuses a guessable password set on a user's page, and keeps the old one", async () => {
		const admin = await signedIn();
		const address = email("paula");
		await admin.post("/admin/users", {
			email: address,
			displayName: "Paula",
			password: "violet-harbour-7-quietly-sings",
		});
		const user = await findUserByEmail(env.DB, address);
		const res = await admin.post(`/admin/users/${user!.id}/password`, { password: "Password123" });
		expect(res.status).toBe(422);
		expect(textOf(await res.text())).toContain("This password is too easy to guess.");
		expect((await signInWithForm(address, "Password123")).status).not.toBe(303);
		expect((await signInWithForm(address, "violet-harbour-7-quietly-sings")).status).toBe(303);

		const ok = await admin.post(`/admin/users/${user!.id}/password`, {
			password: "amber-lantern-41-drifts-slowly",
		});
		expect(ok.status).toBe(303);
		expect((await signInWithForm(address, "amber-lantern-41-drifts-slowly")).status).toBe(303);
	});

	it("accepts the demo password, so docs and seed agree", () => {
		expect(DEMO_PASSWORD).toBe("baton-demo");
		expect(passwordProblem(DEMO_PASSWORD)).toBeNull();
	});
});
