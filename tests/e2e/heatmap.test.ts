// How the work flows, in a browser (issue #16): an admin opens a workflow's flow page; its diagram
// is filled by the time its steps take, with a legend and the same figures as a table, and every
// part of it is reached with the keyboard.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Person, person, shot } from "./browser.ts";

let browser: Browser;
let admin: Person;

beforeAll(async () => {
	browser = await launchBrowser();
	admin = await person(browser, "admin@baton.local");
});

afterAll(async () => {
	await browser?.close();
});

/** The focused element's accessible name (aria-label, its label, or its text) and focus ring. */
function focused(page: Page) {
	return page.evaluate(() => {
		const el = document.activeElement as HTMLElement | null;
		if (!el) return { name: "", ring: false };
		const style = getComputedStyle(el);
		const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
		return {
			name: (el.getAttribute("aria-label") ?? label ?? el.textContent ?? "").trim(),
			ring: style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2,
		};
	});
}

async function tabTo(page: Page, name: RegExp, max = 60): Promise<void> {
	const seen: string[] = [];
	for (let i = 0; i < max; i++) {
		await page.keyboard.press("Tab");
		const now = await focused(page);
		seen.push(now.name);
		if (name.test(now.name)) {
			expect(now.ring, `focus ring on ${now.name}`).toBe(true);
			return;
		}
	}
	throw new Error(`nothing named ${name} within ${max} tabs: ${seen.join(" | ")}`);
}

describe("the heatmap of a workflow", () => {
	it("fills the diagram by time, with a legend and a table, all reached with the keyboard", async () => {
		const { page, problems } = admin;
		// A process of "Two plus two": its first step runs at once, its second waits for a boss.
		await page.goto("/workflows");
		await page.getByRole("link", { name: "Start Two plus two", exact: true }).click();
		await page.getByRole("button", { name: "Start process" }).click();
		await page.waitForURL(/\/processes\/p-[0-9a-f]+\?notice=started$/);
		const processPath = new URL(page.url()).pathname;

		// The index follows the process within moments; the page reads the index.
		await expect
			.poll(async () => {
				await page.goto("/admin/workflows/two-plus-two/flow?period=24h&measure=running");
				return page.locator('.diagram [data-node="add_1_and_1"].has-heat').count();
			})
			.toBe(1);
		await expect(
			page.locator('[data-node="add_1_and_1"] .node-status').textContent(),
		).resolves.toMatch(/^p95 /);
		await expect(page.getByRole("heading", { name: /Fill: Running time/ }).count()).resolves.toBe(
			1,
		);
		const row = page.locator('#flow-figures tr[data-node="add_1_and_1"]');
		await expect(row.locator("th").textContent()).resolves.toBe("add 1 and 1");
		await expect(row.locator("td").nth(3).textContent()).resolves.toMatch(/\d/);
		await expect(
			page.locator(`a[href="${processPath}"]`).count(),
			"the waiting process is among those running longest",
		).resolves.toBe(1);
		await shot(page, "heatmap");

		await page.locator("h1").click();
		await tabTo(page, /^Period$/);
		await tabTo(page, /^Fill the diagram by$/);
		await tabTo(page, /^Show$/);
		await tabTo(page, /^Diagram \(scrolls sideways/);
		await tabTo(page, /^p-[0-9a-f]+$|^Two plus two/);
		// Another period, with the keyboard alone: the arrow picks it, Enter on "Show" sends it.
		await page.locator("h1").click();
		await tabTo(page, /^Period$/);
		await page.keyboard.press("ArrowDown");
		await tabTo(page, /^Show$/);
		await page.keyboard.press("Enter");
		await page.waitForURL(/period=7d/);
		await expect(page.locator("#flow-figures caption").textContent()).resolves.toContain(
			"the last 7 days",
		);
		expect(problems.errors).toEqual([]);
	});
});
