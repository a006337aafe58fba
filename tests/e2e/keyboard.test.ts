// The main flow with the keyboard only: sign in, skip to the content, start the conference, find the
// task in the inbox, fill in the form and submit, with a visible focus all along.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, launchBrowser, type Person, person, shot } from "./browser.ts";

let browser: Browser;
let oscar: Person;

beforeAll(async () => {
	browser = await launchBrowser();
	oscar = await person(browser);
});

afterAll(async () => {
	await browser?.close();
});

/** What has the focus: its tag, its accessible-ish name, and whether the focus ring shows. */
function focused(page: Page) {
	return page.evaluate(() => {
		const el = document.activeElement as HTMLElement | null;
		if (!el) return { tag: "", name: "", ring: false };
		const style = getComputedStyle(el);
		const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
		return {
			tag: el.tagName.toLowerCase(),
			name: (el.getAttribute("aria-label") ?? label ?? el.textContent ?? "").trim(),
			ring: style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2,
		};
	});
}

/** Presses Tab until the focus is on an element whose name matches; fails after `max` presses. */
async function tabTo(page: Page, name: RegExp, max = 40): Promise<void> {
	const seen: string[] = [];
	for (let i = 0; i < max; i++) {
		await page.keyboard.press("Tab");
		const now = await focused(page);
		seen.push(`${now.tag}:${now.name}`);
		if (name.test(now.name)) {
			expect(now.ring, `focus ring on ${now.name}`).toBe(true);
			return;
		}
	}
	throw new Error(`no focusable element named ${name} within ${max} tabs: ${seen.join(" | ")}`);
}

describe("keyboard only", () => {
	it("signs in, starts the conference, finds the task and submits the form", async () => {
		const page = oscar.page;
		await page.goto("/sign-in");
		expect((await focused(page)).name).toBe("Email"); // autofocus
		await page.keyboard.type("oscar@baton.local");
		await page.keyboard.press("Tab");
		await page.keyboard.type(DEMO_PASSWORD);
		await page.keyboard.press("Enter");
		await page.waitForURL(/\/inbox$/);

		// The skip link comes first and moves the focus to the main content.
		await page.keyboard.press("Tab");
		expect(await focused(page)).toMatchObject({ tag: "a", name: "Skip to content", ring: true });
		await page.keyboard.press("Enter");
		expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

		// Start the conference from the workflows page.
		await page.goto("/workflows");
		await tabTo(page, /^Start Organizing a conference$/);
		await page.keyboard.press("Enter");
		await page.waitForURL(/\/start$/);
		await tabTo(page, /^Name/);
		const name = `Keyboard ${Date.now()}`;
		await page.keyboard.type(name);
		await tabTo(page, /^Start process$/);
		await page.keyboard.press("Enter");
		await page.waitForURL(/\/processes\//);

		// The inbox: search, then tab to the task (or to its claim button when a colleague has it).
		await page.goto("/inbox");
		await tabTo(page, /^Search$/);
		await page.keyboard.type(name);
		await page.keyboard.press("Enter");
		await expect.poll(() => page.locator(".task-card", { hasText: name }).count()).toBe(2);
		// A colleague may have been given the task: then it is claimed first.
		const claim = page.locator(".task-card", { hasText: "Call for papers" }).getByRole("button");
		await tabTo(page, (await claim.count()) > 0 ? /^Claim Call for papers$/ : /^Call for papers$/);
		await page.keyboard.press("Enter");
		await page.waitForURL(/\/tasks\//);

		await tabTo(page, /^Mailing lists the call was sent to/);
		await page.keyboard.type("django-users");
		await tabTo(page, /^Submission deadline/);
		await page.keyboard.type("03142027");
		await shot(page, "keyboard-task-form");
		await tabTo(page, /^Submit$/);
		await page.keyboard.press("Enter");
		await page.waitForURL((url) => url.searchParams.get("notice") === "submitted");
		expect(await page.getByText("Thank you, your answers were submitted.").count()).toBe(1);
		expect(oscar.problems.errors).toEqual([]);
		expect(oscar.problems.unsafeWithoutCsrf).toEqual([]);
	});
});
