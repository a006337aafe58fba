// The pages at a phone's width: nothing wider than the screen (the diagram and the tables scroll in
// their own boxes), the navigation wraps, and the form is usable by touch.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Person, PHONE, person, shot, startConference } from "./browser.ts";

let browser: Browser;
let olivia: Person;

beforeAll(async () => {
	browser = await launchBrowser();
	olivia = await person(browser, "olivia@baton.local", PHONE);
});

afterAll(async () => {
	await browser?.close();
});

/**
 * True when the page does not scroll sideways. On a phone the browser widens the layout viewport
 * (innerWidth) to whatever sticks out, so that is compared with the device's width too.
 */
function fitsWidth(page: Page): Promise<boolean> {
	return page.evaluate(
		() =>
			window.innerWidth <= screen.width + 1 &&
			document.documentElement.scrollWidth <= screen.width + 1,
	);
}

describe("at a phone's width", () => {
	it("fits the inbox, the task form, the start form and the process page to the screen", async () => {
		const page = olivia.page;
		const name = `Phone ${Date.now()}`;
		await page.goto("/workflows/conference/start");
		expect(await fitsWidth(page)).toBe(true);
		const processPath = await startConference(page, name);
		expect(await fitsWidth(page)).toBe(true);
		const diagram = page.locator(".diagram-scroll").first();
		const box = await diagram.boundingBox();
		expect(box?.width ?? 999).toBeLessThanOrEqual(390);
		// The diagram opens scrolled to where the process is.
		await expect.poll(() => diagram.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
		await shot(page, "phone-process");
		await diagram.screenshot({ path: "test-results/phone-diagram.png" });

		await page.goto(`/inbox?q=${encodeURIComponent(name)}`);
		expect(await fitsWidth(page)).toBe(true);
		await expect.poll(() => page.locator(".task-card").count()).toBe(2);
		await shot(page, "phone-inbox");

		const card = page.locator(".task-card", { hasText: "Search a location" });
		const claim = card.getByRole("button", { name: "Claim Search a location" });
		if ((await claim.count()) > 0) await claim.tap();
		else await card.getByRole("link", { name: "Search a location" }).tap();
		await page.waitForURL(/\/tasks\//);
		expect(await fitsWidth(page)).toBe(true);
		await page.getByLabel("Capacity (people)").fill("-3");
		await page.getByRole("button", { name: "Submit" }).tap();
		await expect
			.poll(() => page.locator("#field-capacity-error").textContent())
			.toContain("must be 1 or more");
		expect(await fitsWidth(page)).toBe(true);
		await shot(page, "phone-task-form");

		await page.goto(processPath);
		const nav = await page.locator(".site-header nav").boundingBox();
		expect((nav?.x ?? 0) + (nav?.width ?? 999)).toBeLessThanOrEqual(390);
		expect(olivia.problems.errors).toEqual([]);
	});
});
