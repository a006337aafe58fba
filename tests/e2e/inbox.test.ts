// The inbox as a person who lives in it (issue #17): new tasks arrive live (the person's Tasklist
// stream, no reload), the navigation counts them, filters are saved as links another person can
// open, several queued tasks are claimed at once, and a submit lands on the next task of the same
// process. axe finds nothing on the pages touched, and the inbox's screenshots are written to
// docs/screenshots/ for docs/using-baton.md.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./axe.ts";
import { baseURL, launchBrowser, type Person, PHONE, person, startConference } from "./browser.ts";

const DOCS_SHOTS = "docs/screenshots";
let browser: Browser;
const people: Person[] = [];

beforeAll(async () => {
	browser = await launchBrowser();
});

afterAll(async () => {
	for (const p of people) expect(p.problems.errors).toEqual([]);
	await browser?.close();
});

async function as(email: string, device?: typeof PHONE): Promise<Person> {
	const p = await person(browser, email, device);
	people.push(p);
	return p;
}

/**
 * Waits for the inbox's stream. The first stream of a freshly started local Worker sometimes never
 * answers (seen in the first test only, about one run in two; htmx's SSE then waits its 60 s
 * connect timeout): one reload is allowed, the second connection must succeed.
 */
async function connected(page: Page): Promise<void> {
	const stream = () => page.locator("#inbox-stream").getAttribute("class");
	try {
		await expect.poll(stream, { timeout: 10_000 }).toContain("is-connected");
	} catch {
		await page.reload();
		await expect.poll(stream, { timeout: 20_000 }).toContain("is-connected");
	}
}

const navCount = (page: Page) =>
	page.locator("#nav-inbox-count").getAttribute("data-count").then(Number);

describe("the inbox, live", () => {
	it("shows a task assigned to the person without a reload, and the navigation's count follows", async () => {
		const oscar = await as("oscar@baton.local");
		const page = oscar.page;
		await page.goto("/inbox");
		await connected(page);
		expect(await page.locator("#inbox-stream").isVisible()).toBe(true);
		await page.evaluate(() => {
			(window as unknown as { stayed: boolean }).stayed = true;
		});
		const before = await navCount(page);

		const olivia = await as("olivia@baton.local");
		const name = `Live inbox ${Date.now()}`;
		await startConference(olivia.page, name);
		const started = Date.now();
		// Both first tasks are the Organization's: Oscar's inbox lists them, mine or queued.
		const results = page.locator("#inbox-results");
		await expect.poll(() => results.getByText(name).count(), { interval: 50 }).toBe(2);
		console.log(
			`[measure] live inbox: the new tasks shown ${Date.now() - started} ms after the start page answered`,
		);
		expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
			true,
		);
		await expect.poll(() => navCount(page)).toBeGreaterThan(before);
		expect(await page.evaluate(() => document.documentElement.classList.contains("is-live"))).toBe(
			true,
		);
		expect(await axeViolations(page)).toEqual([]);
	});

	it("does not claim to be live without JavaScript", async () => {
		const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto("/sign-in");
		await page.getByLabel("Email").fill("admin@baton.local");
		await page.getByLabel("Password").fill("baton-demo");
		await page.getByRole("button", { name: "Sign in" }).click();
		await page.goto("/inbox");
		expect(await page.locator("#inbox-stream").isVisible()).toBe(false);
		// biome-ignore lint/performance/useDomNodeTextContent: the text as rendered (without what CSS hides) is the point.
		const text = await page.locator("#inbox-mine").innerText();
		expect(text).not.toContain("New tasks appear here by themselves");
		await context.close();
	});
});

describe("finding work", () => {
	it("saves the filters and order as a link another person can open", async () => {
		const oscar = await as("oscar@baton.local");
		const page = oscar.page;
		await page.goto("/inbox?sort=oldest");
		await page.getByLabel("Save these filters and order as").fill("Oldest first");
		await page.getByRole("button", { name: "Save", exact: true }).click();
		await page.waitForURL((url) => url.searchParams.get("notice") === "filter-saved");
		const link = page.getByRole("link", { name: "Oldest first" });
		expect(await link.getAttribute("aria-current")).toBe("true");
		const href = (await link.getAttribute("href")) ?? "";
		expect(href).toBe("/inbox?sort=oldest");

		const olivia = await as("olivia@baton.local");
		await olivia.page.goto(href);
		expect(await olivia.page.getByLabel("Order", { exact: true }).inputValue()).toBe("oldest");
		expect(await axeViolations(page)).toEqual([]);
	});

	it("claims several tasks of the role's queue at once, and lands on the next task of the process after a submit", async () => {
		const olivia = await as("olivia@baton.local");
		const name = `Bulk ${Date.now()}`;
		await startConference(olivia.page, name);
		const oscar = await as("oscar@baton.local");
		const page = oscar.page;
		await page.goto("/inbox");
		await connected(page);
		const ticks = page.locator("#inbox-queue .task-card", { hasText: name }).locator(".bulk-tick");
		await expect.poll(() => ticks.count()).toBeGreaterThan(0);
		const n = await ticks.count();
		for (let i = 0; i < n; i++) await ticks.nth(i).check();
		// A live refresh in between keeps the ticks.
		await page.waitForTimeout(300);
		for (let i = 0; i < n; i++) expect(await ticks.nth(i).isChecked()).toBe(true);
		await page.getByRole("button", { name: "Claim the ticked tasks" }).click();
		await page.waitForURL((url) => url.searchParams.get("notice") === "claimed-all");
		const mine = page.locator("#inbox-mine .task-card", { hasText: name });
		await expect.poll(() => mine.count()).toBe(2);

		// Both first tasks are Oscar's now: submitting one lands on the other.
		await mine
			.filter({ hasText: "Search a location" })
			.getByRole("link", { name: "Search a location" })
			.click();
		await page.getByLabel("Venue").fill("Town hall");
		await page.getByLabel("Capacity (people)").fill("300");
		await page.getByRole("button", { name: "Submit" }).click();
		await page.waitForURL((url) => url.searchParams.get("notice") === "submitted");
		expect(new URL(page.url()).pathname).toMatch(/^\/tasks\//);
		expect(await page.locator("h1").textContent()).toContain("Call for papers");
	});
});

describe("the pages touched, with axe", () => {
	it("finds no violation on the processes list, the account, and the admin's workflows and incidents", async () => {
		const admin = await as("admin@baton.local");
		for (const path of ["/processes", "/account", "/admin/workflows", "/admin/incidents"]) {
			await admin.page.goto(path);
			const violations = await axeViolations(admin.page);
			expect({ path, violations }).toEqual({ path, violations: [] });
		}
	});
});

describe("the inbox's screenshots", () => {
	it("writes the inbox on a desktop and on a phone to docs/screenshots", async () => {
		mkdirSync(DOCS_SHOTS, { recursive: true });
		const desktop = await as("oscar@baton.local");
		await desktop.page.goto("/inbox");
		await connected(desktop.page);
		await desktop.page.screenshot({ path: `${DOCS_SHOTS}/inbox-desktop.png`, fullPage: false });
		const phone = await as("oscar@baton.local", PHONE);
		await phone.page.goto("/inbox");
		await connected(phone.page);
		expect(await axeViolations(phone.page)).toEqual([]);
		await phone.page.screenshot({ path: `${DOCS_SHOTS}/inbox-phone.png`, fullPage: true });
	});
});
