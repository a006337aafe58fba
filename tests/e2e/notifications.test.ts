// Notifications in a real browser: a task assigned when a process starts reaches the local outbox
// (/admin/outbox) as a mail to its assignee, and a person chooses what they are told on their
// account page (a wrong webhook URL refused next to its field, then saved). axe-core finds no
// violation, at any impact, on either page.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Person, PHONE, person, shot, startConference } from "./browser.ts";

let browser: Browser;
const people: Person[] = [];
const axeSource = readFileSync(
	createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
	"utf8",
);

beforeAll(async () => {
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

async function as(email: string): Promise<Person> {
	const p = await person(browser, email);
	people.push(p);
	return p;
}

/** axe-core's violations on the page as it is, at any impact, as readable lines. */
async function axeViolations(page: Page): Promise<string[]> {
	// Evaluated over the DevTools protocol, so the page's CSP (no inline scripts) does not apply.
	await page.evaluate(axeSource);
	const violations = await page.evaluate(async () => {
		const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } })
			.axe;
		return (await axe.run()).violations as {
			id: string;
			impact: string;
			nodes: { target: string[] }[];
		}[];
	});
	return violations.map(
		(v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
	);
}

describe("notifications", () => {
	it("puts a mail to the assignee in the local outbox when a task is assigned", async () => {
		const olivia = await as("olivia@baton.local");
		const name = `Notified ${Date.now()}`;
		await startConference(olivia.page, name);

		const admin = await as("admin@baton.local");
		const page = admin.page;
		const row = page.locator("tr", { hasText: `“Call for papers” in ${name}` });
		await expect
			.poll(async () => {
				await page.goto("/admin/outbox");
				return row.count();
			})
			.toBe(1);
		expect(await row.locator("td").nth(1).textContent()).toBe("Email");
		expect(await row.locator("td").nth(2).textContent()).toMatch(/@baton\.local$/);
		await row.locator("summary").click();
		expect(await row.locator("pre").getByRole("link").getAttribute("href")).toMatch(
			/^\/tasks\/p-[0-9a-f]+%2Ft\d+$/,
		);
		await shot(page, "outbox");
		expect(await axeViolations(page)).toEqual([]);
		expect(admin.problems.errors).toEqual([]);
	});

	it("lets a person choose what they are told, and refuses a wrong webhook URL", async () => {
		const olivia = await as("olivia@baton.local");
		const page = olivia.page;
		await page.goto("/account");
		const settings = page.getByRole("region", { name: "Notifications" });
		const queuedEmail = settings
			.getByRole("group", { name: "A task waits in my role's queue" })
			.getByRole("checkbox", { name: "Email" });
		expect(await queuedEmail.isChecked()).toBe(true);
		await queuedEmail.uncheck();
		await settings
			.getByRole("group", { name: "A task is assigned to me" })
			.getByRole("checkbox", { name: "Webhook" })
			.check();
		const url = settings.getByLabel("Webhook URL (Slack or Teams)");
		await url.fill("http://hooks.example.com/x");
		await settings.getByRole("button", { name: "Save notification settings" }).click();

		// Refused: the message next to the field, what was chosen kept.
		await expect.poll(() => page.getByText("Use an https:// URL.").count()).toBe(1);
		expect(await url.getAttribute("aria-invalid")).toBe("true");
		expect(await queuedEmail.isChecked()).toBe(false);
		expect(await axeViolations(page)).toEqual([]);

		await url.fill("https://hooks.slack.com/services/T000/B000/XXXX");
		await settings.getByRole("button", { name: "Save notification settings" }).click();
		await expect
			.poll(() => page.getByRole("status").filter({ hasText: "settings are saved" }).count())
			.toBe(1);
		expect(await queuedEmail.isChecked()).toBe(false);
		expect(await url.inputValue()).toBe("https://hooks.slack.com/services/T000/B000/XXXX");
		await shot(page, "account-notifications");
		expect(await axeViolations(page)).toEqual([]);

		// The same page on a phone.
		const phone = await person(browser, "olivia@baton.local", PHONE);
		people.push(phone);
		await phone.page.goto("/account#notifications");
		await shot(phone.page, "account-notifications-phone");
		expect(await axeViolations(phone.page)).toEqual([]);

		// Back to the defaults, so the other tests' mail is unchanged.
		await queuedEmail.check();
		await settings
			.getByRole("group", { name: "A task is assigned to me" })
			.getByRole("checkbox", { name: "Webhook" })
			.uncheck();
		await url.fill("");
		await settings.getByRole("button", { name: "Save notification settings" }).click();
		await expect
			.poll(() => page.getByRole("status").filter({ hasText: "settings are saved" }).count())
			.toBe(1);
		expect(olivia.problems.errors).toEqual([]);
	});
});
