// Admin → Users → New user in a real browser: a guessable password is refused with the reason next
// to the field, what was typed and ticked is kept, and with a strong password the user is created
// as a member of the ticked role (the box sends the role's key), and can sign in.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Person, person } from "./browser.ts";

let browser: Browser;
const people: Person[] = [];

beforeAll(async () => {
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

describe("creating a user", () => {
	it("refuses a guessable password with the reason, then creates a member of the ticked role", async () => {
		const admin = await person(browser, "admin@baton.local");
		people.push(admin);
		const page = admin.page;
		await page.goto("/admin/users");
		const email = `rowan-${Date.now()}@example.com`;
		await page.locator("#new-user-email").fill(email);
		await page.locator("#new-user-displayName").fill("Rowan Roles");
		await page.locator("#new-user-password").fill("password12");
		await page.getByRole("checkbox", { name: "Accounting" }).check();
		await page.getByRole("button", { name: "Create user" }).click();

		await expect
			.poll(() => page.locator("#new-user-password-error").textContent())
			.toContain("This password is too easy to guess. This is a commonly used password.");
		expect(await page.getByRole("checkbox", { name: "Accounting" }).isChecked()).toBe(true);
		expect(await page.locator("#new-user-email").inputValue()).toBe(email);

		await page.locator("#new-user-password").fill("violet-harbour-7-quietly-sings");
		await page.getByRole("button", { name: "Create user" }).click();
		await page.waitForURL(/\/admin\/users\/[^/?]+\?notice=created/);
		expect(await page.locator("main").textContent()).toContain("Accounting");

		const rowan = await person(browser);
		people.push(rowan);
		await rowan.page.goto("/sign-in");
		await rowan.page.getByLabel("Email").fill(email);
		await rowan.page.getByLabel("Password").fill("violet-harbour-7-quietly-sings");
		await rowan.page.getByRole("button", { name: "Sign in" }).click();
		await rowan.page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));

		for (const p of people) expect(p.problems.errors).toEqual([]);
	});
});
