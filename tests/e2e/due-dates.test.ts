// Due dates in a real browser: an admin imports and publishes a workflow whose person's task is due
// three seconds after it is created, with a reminder (a non-interrupting timer boundary at the due
// date) on it. A member of the task's role sees it fall overdue in the inbox, which polls by itself
// and filters it on its own; the admin watching the process page sees the reminder fire on the live
// diagram and in the history, without reloading.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Person, PHONE, person, shot } from "./browser.ts";

let browser: Browser;
const people: Person[] = [];

beforeAll(async () => {
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

async function as(email: string, device?: typeof PHONE): Promise<Person> {
	const p = await person(browser, email, device);
	people.push(p);
	return p;
}

const stamp = Date.now();
const KEY = `invoice-due-${stamp}`;
const NAME = `Invoice approval ${stamp}`;
const TASK = "Approve the invoice";

const WORKFLOW = {
	key: KEY,
	name: NAME,
	nodes: [
		{
			key: "approve",
			name: TASK,
			role: "accounting",
			task: "ask",
			start: true,
			due: "3s",
			params: { questions: { approved: { label: "Approved?", required: true } } },
		},
		{
			key: "reminder",
			name: "Reminder",
			task: "wait",
			attachedTo: "approve",
			interrupting: false,
			params: { at: "due" },
		},
		{
			key: "remind",
			name: "Remind accounting",
			role: "organization",
			task: "ask",
			end: true,
			params: { questions: { note: { label: "Note" } } },
		},
		{ key: "pay", name: "Pay", task: "dummy", end: true },
	],
	transitions: [
		{ from: "approve", to: "pay" },
		{ from: "reminder", to: "remind" },
	],
};

/** Imports the workflow as an admin, publishes it and starts a process; returns its page's path. */
async function publishAndStart(page: Page): Promise<string> {
	await page.goto("/admin/import");
	await page.getByLabel("…or paste its content").fill(JSON.stringify(WORKFLOW));
	await page.getByRole("button", { name: "Import" }).click();
	await page.waitForURL(`**/admin/workflows/${KEY}/draft?notice=imported`);
	await page.getByRole("button", { name: "Publish as version 1" }).click();
	await page.waitForURL(`**/admin/workflows/${KEY}?published=1&notice=published`);
	await page.goto("/workflows");
	await page.getByRole("link", { name: `Start ${NAME}`, exact: true }).click();
	await page.getByLabel("Name").fill(`Invoice ${stamp}`);
	await page.getByRole("button", { name: "Start process" }).click();
	await page.waitForURL(/\/processes\/p-[0-9a-f]+\?notice=started$/);
	return new URL(page.url()).pathname;
}

describe("due dates and escalations", () => {
	it("shows the task overdue in the inbox and the reminder firing on the live diagram", async () => {
		const admin = await as("admin@baton.local");
		const watch = admin.page;
		const processPath = await publishAndStart(watch);
		await expect
			.poll(() => watch.locator("#process-stream").getAttribute("class"))
			.toContain("is-connected");
		await watch.evaluate(() => {
			(window as unknown as { stayed: boolean }).stayed = true;
		});
		const reminder = watch.locator('[data-boundary="reminder"]');
		expect(await reminder.getAttribute("data-host")).toBe("approve");

		// A member of the role, on a phone: the inbox refreshes by itself as the task falls overdue.
		const anna = await as("anna@baton.local", PHONE);
		const inbox = anna.page;
		await inbox.goto("/inbox");
		const card = inbox.locator(".task-card", { hasText: `Invoice ${stamp}` });
		await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
		await expect.poll(() => card.locator(".badge-overdue").count(), { timeout: 15_000 }).toBe(1);
		expect(await card.getAttribute("class")).toContain("is-overdue");
		expect(await card.locator(".badge-overdue").textContent()).toContain("Overdue");
		const due = card.locator(".task-card-due time");
		expect(await due.textContent()).toMatch(/^overdue by /);
		expect(await due.getAttribute("datetime")).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(
			await inbox.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
		).toBe(true);

		// The due filter, as a person picks it: the list narrows and the address keeps it.
		await inbox.getByLabel("Due date").selectOption("overdue");
		await inbox.waitForURL(/due=overdue/);
		await expect.poll(() => card.count()).toBe(1);
		await inbox.getByLabel("Due date").selectOption("today");
		await inbox.waitForURL(/due=today/);
		await expect.poll(() => card.count()).toBe(1);
		await shot(inbox, "due-dates-inbox-phone");

		// The watcher's page moved on its own: the reminder fired, its path waits, the host is overdue.
		await expect
			.poll(() => reminder.getAttribute("data-status"), { timeout: 15_000 })
			.toBe("fired");
		const remind = watch.locator('[data-node="remind"]');
		await expect.poll(() => remind.getAttribute("data-status")).toMatch(/^(queued|waiting)$/);
		expect(await watch.locator('[data-node="approve"]').getAttribute("class")).toContain(
			"is-overdue",
		);
		expect(await watch.locator('[data-node="approve"] .overdue-mark').count()).toBe(1);
		await expect
			.poll(() =>
				watch.locator(".timeline-title", { hasText: `Reminder fired on ${TASK}` }).count(),
			)
			.toBe(1);
		expect(await watch.locator(".timeline-detail", { hasText: `${TASK} goes on.` }).count()).toBe(
			1,
		);
		expect(
			await watch.locator(".diagram-waits li", { hasText: TASK }).first().textContent(),
		).toMatch(/overdue by/);
		expect(await watch.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
			true,
		);
		expect(new URL(watch.url()).pathname).toBe(processPath);
		await shot(watch, "due-dates-process");
	});

	it("keeps the pages free of script errors, and every unsafe htmx request carries the CSRF header", () => {
		expect(people.flatMap((p) => p.problems.unsafeWithoutCsrf)).toEqual([]);
		expect(people.flatMap((p) => p.problems.errors)).toEqual([]);
	});
});
