// The main flow in a real browser: an organizer starts the conference, finds the waiting task in
// the inbox, fills in the generated form (an error next to its field, what was typed kept), submits
// and lands on the next task or the inbox; someone of another role never gets the task.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Person, person, shot, startConference } from "./browser.ts";

let browser: Browser;
const people: Person[] = [];

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

describe("a role user's work", () => {
	it("starts a process, finds the task in the inbox, fixes an error and submits", async () => {
		const olivia = await as("olivia@baton.local");
		const page = olivia.page;
		const name = `DjangoCon ${Date.now()}`;
		const processPath = await startConference(page, name);
		await expect
			.poll(() => page.getByRole("status").filter({ hasText: "The process has started." }).count())
			.toBe(1);
		await expect
			.poll(() => page.locator('[data-node="call_for_papers"]').getAttribute("data-status"))
			.toBe("waiting");
		await shot(page, "process-started");

		// The inbox: search for this process; the task is Olivia's or in her role's queue.
		await page.getByRole("link", { name: "Inbox" }).click();
		await page.getByRole("searchbox", { name: "Search" }).fill(name);
		await page.getByRole("button", { name: "Apply" }).click();
		const card = page.locator(".task-card", { hasText: "Call for papers" });
		await expect.poll(() => card.count()).toBe(1);
		await shot(page, "inbox");
		const claim = card.getByRole("button", { name: "Claim Call for papers" });
		if ((await claim.count()) > 0) await claim.click();
		else await card.getByRole("link", { name: "Call for papers" }).click();
		await page.waitForURL(/\/tasks\//);
		const taskUrl = new URL(page.url()).pathname;

		// The generated form: a long text and a date, both required.
		const lists = page.getByLabel("Mailing lists the call was sent to");
		const deadline = page.getByLabel("Submission deadline");
		expect(await lists.evaluate((el) => el.tagName)).toBe("TEXTAREA");
		expect(await deadline.getAttribute("type")).toBe("date");
		await lists.fill("django-users\npython-announce");
		await page.getByRole("button", { name: "Submit" }).click();

		// 422: the error next to its field, focus on the summary, the typed text kept, no navigation.
		const error = page.locator("#field-deadline-error");
		await expect
			.poll(() => error.textContent())
			.toContain("Enter a date for “Submission deadline”.");
		expect(await deadline.getAttribute("aria-invalid")).toBe("true");
		expect(await deadline.getAttribute("aria-describedby")).toBe("field-deadline-error");
		expect(await lists.inputValue()).toBe("django-users\npython-announce");
		expect(await page.evaluate(() => document.activeElement?.id)).toBe("form-errors");
		expect(new URL(page.url()).pathname).toBe(taskUrl);
		await shot(page, "task-form-error");

		// Who else has a task in this process decides where Olivia lands next.
		await deadline.fill("2027-03-14");
		await page.getByRole("button", { name: "Submit" }).click();
		await page.waitForURL((url) => url.pathname !== taskUrl);
		const landed = new URL(page.url());
		expect(landed.searchParams.get("notice")).toBe("submitted");
		expect(landed.pathname === "/inbox" || landed.pathname.startsWith("/tasks/")).toBe(true);
		expect(await page.getByText("Thank you, your answers were submitted.").count()).toBe(1);
		if (landed.pathname.startsWith("/tasks/")) await shot(page, "next-task");

		await page.goto(processPath);
		await expect
			.poll(() => page.locator('[data-node="call_for_papers"]').getAttribute("data-status"))
			.toBe("success");
		expect(await page.getByText("Call for papers: values submitted").count()).toBe(1);
		await shot(page, "process-page");

		// Anna is in Accounting: the organizers' task is not in her inbox, and its page is a 404.
		const anna = await as("anna@baton.local");
		await anna.page.goto(`/inbox?q=${encodeURIComponent(name)}`);
		expect(await anna.page.locator(".task-card", { hasText: "Call for papers" }).count()).toBe(0);
		const response = await anna.page.goto(taskUrl);
		expect(response?.status()).toBe(404);
		expect(await anna.page.getByRole("heading", { name: "Not found" }).count()).toBe(1);
		anna.problems.errors = anna.problems.errors.filter((e) => !e.startsWith("404 "));
	});

	it("keeps the pages free of script errors, and every unsafe htmx request carries the CSRF header", () => {
		const unsafe = people.flatMap((p) => p.problems.unsafeHtmx);
		expect(unsafe.length).toBeGreaterThan(0);
		expect(people.flatMap((p) => p.problems.unsafeWithoutCsrf)).toEqual([]);
		expect(people.flatMap((p) => p.problems.errors)).toEqual([]);
	});
});
