// The process page updates live: while one browser watches, people in other browser contexts act,
// and the ProcessObject's pushes (SSE) move the diagram, the tasks and the timeline without a reload.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Person, person, shot, startConference } from "./browser.ts";

let browser: Browser;
const people: Person[] = [];

const EMAIL_BY_NAME: Record<string, string> = {
	"Olivia Organizer": "olivia@baton.local",
	"Oscar Organizer": "oscar@baton.local",
	"Anna Accountant": "anna@baton.local",
	"Arthur Accountant": "arthur@baton.local",
};

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

const statusOf = (page: Page, node: string) =>
	page.locator(`[data-node="${node}"]`).getAttribute("data-status");

/** Who the watched page says has the task of `nodeName` (its latest one), as a demo email. */
async function assigneeOf(page: Page, nodeName: string): Promise<string> {
	const cell = page
		.locator("#process-live tbody tr", { hasText: nodeName })
		.last()
		.locator(".assignee");
	await expect
		.poll(() => cell.textContent(), { timeout: 10_000 })
		.toMatch(/^(Olivia|Oscar|Anna|Arthur)/);
	const assignee = (await cell.textContent())?.trim() ?? "";
	const email = EMAIL_BY_NAME[assignee];
	if (!email) throw new Error(`${nodeName} is assigned to "${assignee}"`);
	return email;
}

/** Opens the task of `node` in this process as its assignee and submits `fill`. */
async function actAs(
	processPath: string,
	nodeName: string,
	email: string,
	fill: (page: Page) => Promise<void>,
) {
	const actor = await as(email);
	await actor.page.goto(processPath);
	await actor.page
		.locator("#process-live tbody tr", { hasText: nodeName })
		.last()
		.getByRole("link", { name: nodeName })
		.click();
	await actor.page.waitForURL(/\/tasks\//);
	await fill(actor.page);
	await actor.page.getByRole("button", { name: "Submit" }).click();
	await actor.page.waitForURL((url) => url.searchParams.get("notice") === "submitted");
	await actor.context.close();
}

describe("the process page, live", () => {
	it("shows the process moving while others act, without reloading", async () => {
		const watcher = await as("olivia@baton.local");
		const page = watcher.page;
		const processPath = await startConference(page, `Live ${Date.now()}`);
		await expect
			.poll(() => page.locator("#process-stream").getAttribute("class"))
			.toContain("is-connected");
		// A marker that a reload would wipe out.
		await page.evaluate(() => {
			(window as unknown as { stayed: boolean }).stayed = true;
		});
		expect(await statusOf(page, "call_for_papers")).toBe("waiting");
		expect(await statusOf(page, "collect_papers")).toBe("idle");

		await actAs(
			processPath,
			"Call for papers",
			await assigneeOf(page, "Call for papers"),
			async (p) => {
				await p.getByLabel("Mailing lists the call was sent to").fill("django-users");
				await p.getByLabel("Submission deadline").fill("2027-02-01");
			},
		);
		await expect.poll(() => statusOf(page, "call_for_papers"), { timeout: 10_000 }).toBe("success");
		await expect.poll(() => statusOf(page, "collect_papers"), { timeout: 10_000 }).toBe("waiting");
		await expect
			.poll(() =>
				page.locator(".timeline-title", { hasText: "Call for papers: values submitted" }).count(),
			)
			.toBe(1);
		await expect.poll(() => page.locator("#process-news").textContent()).not.toBe("");

		await actAs(
			processPath,
			"Search a location",
			await assigneeOf(page, "Search a location"),
			async (p) => {
				await p.getByLabel("Venue").fill("Town hall");
				await p.getByLabel("Capacity (people)").fill("300");
			},
		);
		await expect.poll(() => statusOf(page, "search_location"), { timeout: 10_000 }).toBe("success");

		// Accounting answers "Collect papers" (a job that runs once it has its answer).
		await actAs(
			processPath,
			"Collect papers",
			await assigneeOf(page, "Collect papers"),
			async (p) => {
				await p.getByLabel("Answer").fill("42");
			},
		);
		await expect.poll(() => statusOf(page, "collect_papers"), { timeout: 15_000 }).toBe("success");
		await expect.poll(() => statusOf(page, "publicize"), { timeout: 15_000 }).toBe("waiting");
		expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
			true,
		);
		expect(await page.locator(".progress-value").first().textContent()).not.toBe("0%");
		await shot(page, "process-live");

		// Stopping, with htmx: a confirmation, then the live part and a notice swap in.
		page.once("dialog", (dialog) => void dialog.accept());
		await page.getByRole("button", { name: "Stop process" }).click();
		await expect
			.poll(() => page.locator("#flash").textContent())
			.toContain("The process was stopped.");
		await expect.poll(() => page.locator(".summary .badge-large").textContent()).toBe("Stopped");
		await expect.poll(() => statusOf(page, "publicize")).toBe("revoked");
		expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
			true,
		);
		await expect
			.poll(() => page.locator("#process-stream .live-text").textContent())
			.toBe("Finished");
	});

	it("keeps the pages free of script errors, and every unsafe htmx request carries the CSRF header", () => {
		expect(people.flatMap((p) => p.problems.unsafeHtmx).some((r) => r.includes("/stop"))).toBe(
			true,
		);
		expect(people.flatMap((p) => p.problems.unsafeWithoutCsrf)).toEqual([]);
		expect(people.flatMap((p) => p.problems.errors)).toEqual([]);
	});
});
