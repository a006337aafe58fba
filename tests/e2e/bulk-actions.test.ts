// Bulk actions in a real browser: an admin filters the processes list by a workflow, opens the bulk
// form under the filters, previews a suspension of what they select, starts it, and watches its
// progress bar reach the end without reloading (htmx refreshes it); nothing on the page errs.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiPost, launchBrowser, type Person, person } from "./browser.ts";

let browser: Browser;
let admin: Person;

beforeAll(async () => {
	browser = await launchBrowser();
	admin = await person(browser, "admin@baton.local");
});

afterAll(async () => {
	await browser?.close();
});

describe("bulk actions in a browser", () => {
	it("an admin previews and starts a bulk suspension from the processes list and sees it finish", async () => {
		const { page, problems } = admin;
		const key = `bulk-${Date.now()}`;
		await page.goto("/processes");
		await apiPost(page, "/api/v1/workflows", {
			key,
			name: `Bulk ${key}`,
			nodes: [
				{
					key: "ask",
					name: "Ask",
					task: "ask",
					start: true,
					end: true,
					params: { questions: { note: { label: "Note", required: true } } },
				},
			],
			transitions: [],
		});
		for (let i = 0; i < 4; i++) await apiPost(page, "/api/v1/processes", { workflowKey: key });

		await page.goto(`/processes?workflow=${key}`);
		await page.getByText("Act on every process these filters select").click();
		await page.getByLabel("Action", { exact: true }).selectOption("suspend");
		await page.getByLabel("Reason (when suspending)").fill("Quarterly audit");
		await page.getByRole("button", { name: "Preview" }).click();

		await expect
			.poll(() => page.getByRole("heading", { level: 1 }).textContent())
			.toBe("Suspend 4 processes?");
		await page.getByRole("button", { name: "Suspend 4 processes" }).click();

		await expect.poll(() => page.url()).toMatch(/\/bulk-actions\/[0-9a-f-]{36}$/);
		await expect
			.poll(() => page.locator("#bulk-status-title").textContent(), { timeout: 20_000 })
			.toBe("Finished");
		expect(await page.getByRole("progressbar").getAttribute("value")).toBe("100");

		await page.goto(`/processes?workflow=${key}&suspended=yes`);
		await expect
			.poll(() => page.locator(".result-count").textContent())
			.toContain("of 4 processes");
		expect(problems.errors).toEqual([]);
	});
});
