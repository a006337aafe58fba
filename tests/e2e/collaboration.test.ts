// Working together in a real browser: a task given back to its role and handed to a colleague,
// a comment that mentions someone, a file attached and downloaded, a file refused for its size and
// for its kind, and axe finding nothing on the task and process pages, on a desktop and a phone.
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./axe.ts";
import { launchBrowser, type Person, PHONE, person, shot, startConference } from "./browser.ts";

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

async function expectNoAxeViolations(page: Page): Promise<void> {
	expect(await axeViolations(page)).toEqual([]);
}

/** Olivia's "Call for papers" task of a new conference, claimed by her: its path. */
async function claimedCallForPapers(
	page: Page,
	name: string,
): Promise<{ task: string; process: string }> {
	const process = await startConference(page, name);
	await page.getByRole("link", { name: "Call for papers", exact: true }).first().click();
	await page.waitForURL(/\/tasks\//);
	const claim = page.getByRole("button", { name: "Claim this task" });
	if ((await claim.count()) > 0) {
		await claim.click();
		await page.waitForURL(/notice=claimed/);
	}
	return { task: new URL(page.url()).pathname, process };
}

describe("working together on a task", () => {
	let taskPath = "";
	let processPath = "";

	it("gives a task back to its role, then hands it to a colleague with a note", async () => {
		const olivia = await as("olivia@baton.local");
		const page = olivia.page;
		({ task: taskPath, process: processPath } = await claimedCallForPapers(
			page,
			`Handover ${Date.now()}`,
		));
		await expectNoAxeViolations(page);

		await page.getByRole("button", { name: "Give back to the role" }).click();
		await page.waitForURL(/notice=unclaimed/);
		expect(await page.getByText("The task is back in its role's queue.").count()).toBe(1);
		expect(await page.locator(".facts dd", { hasText: "Nobody yet" }).count()).toBe(1);

		// Back in the queue, any member may act on it, and hand it on too.
		await page.getByLabel("Delegate to").selectOption({ label: "Oscar Organizer" });
		await page.locator("#delegate-note").fill("You know the mailing lists");
		await page.getByRole("button", { name: "Delegate" }).click();
		await page.waitForURL(/notice=delegated/);
		expect(await page.locator(".facts dd", { hasText: "Oscar Organizer" }).count()).toBe(1);

		await page.goto(processPath);
		const history = page.locator(".timeline");
		await expect
			.poll(() => history.textContent())
			.toContain("Call for papers given back to its role's queue");
		expect(await history.textContent()).toContain("Call for papers handed on to Oscar Organizer");
		expect(await history.textContent()).toContain("“You know the mailing lists”");
		expect(olivia.problems.errors).toEqual([]);
	});

	it("posts a comment mentioning a colleague, with a file that downloads as an attachment", async () => {
		const oscar = await as("oscar@baton.local");
		const page = oscar.page;
		await page.goto(taskPath);
		await page
			.getByRole("textbox", { name: "Your comment", exact: true })
			.fill("@olivia the list is in https://example.com/lists, see the file");
		await page.getByLabel("Attach files (optional)").setInputFiles({
			name: "mailing lists.txt",
			mimeType: "text/plain",
			buffer: Buffer.from("django-users\npython-announce\n"),
		});
		await page.getByRole("button", { name: "Post the comment" }).click();
		await page.waitForURL(/#c-[0-9a-f]+$/);
		const comment = page.locator(".comment").first();
		expect(await comment.locator(".mention").textContent()).toBe("@olivia");
		expect(await comment.locator(".mention").getAttribute("title")).toBe("Olivia Organizer");
		expect(
			await comment.getByRole("link", { name: "https://example.com/lists" }).getAttribute("rel"),
		).toContain("noopener");
		const [download] = await Promise.all([
			page.waitForEvent("download"),
			comment.getByRole("link", { name: "mailing lists.txt" }).click(),
		]);
		expect(download.suggestedFilename()).toBe("mailing lists.txt");
		const path = await download.path();
		expect(await readFile(path, "utf8")).toBe("django-users\npython-announce\n");
		await expectNoAxeViolations(page);
		await shot(page, "task-comments-desktop");
		const phone = await as("oscar@baton.local", PHONE);
		await phone.page.goto(taskPath);
		await expectNoAxeViolations(phone.page);
		await shot(phone.page, "task-comments-phone");

		// On the process page: in the timeline, and in the list of files.
		await page.goto(processPath);
		expect(await page.locator(".timeline .comment").count()).toBe(1);
		expect(
			await page
				.locator("section", { has: page.locator("#files-title") })
				.getByRole("link", { name: "mailing lists.txt" })
				.count(),
		).toBe(1);
		await expectNoAxeViolations(page);
		await shot(page, "process-comments");
		expect(oscar.problems.errors).toEqual([]);
	});

	it("refuses a file too large and a file of a forbidden kind, keeping what was typed", async () => {
		const oscar = await as("oscar@baton.local");
		const page = oscar.page;
		await page.goto(taskPath);
		await page.getByRole("textbox", { name: "Your comment", exact: true }).fill("The full scan");
		await page.getByLabel("Attach files (optional)").setInputFiles({
			name: "scan.pdf",
			mimeType: "application/pdf",
			buffer: Buffer.alloc(11 * 1024 * 1024, 1),
		});
		const [tooLarge] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith("/comments") && r.request().method() === "POST"),
			page.getByRole("button", { name: "Post the comment" }).click(),
		]);
		expect(tooLarge.status()).toBe(413);
		await expect
			.poll(() => page.locator("#comment-error").textContent())
			.toContain("files may be at most 10 MB");
		expect(
			await page.getByRole("textbox", { name: "Your comment", exact: true }).inputValue(),
		).toBe("The full scan");
		await expectNoAxeViolations(page);

		await page.getByLabel("Attach files (optional)").setInputFiles({
			name: "page.html",
			mimeType: "text/html",
			buffer: Buffer.from("<script>alert(1)</script>"),
		});
		const [forbidden] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith("/comments") && r.request().method() === "POST"),
			page.getByRole("button", { name: "Post the comment" }).click(),
		]);
		expect(forbidden.status()).toBe(415);
		await expect
			.poll(() => page.locator("#comment-error").textContent())
			.toContain("is not a kind of file Baton keeps");
		expect(await page.locator(".comment").count()).toBe(1);
	});
});

describe("the process page's tasks", () => {
	it("keeps every button in view at 390 px and at 1280 px, with names on whole lines", async () => {
		const admin = await as("admin@baton.local");
		const processPath = await startConference(admin.page, `Layout ${Date.now()}`);
		const phone = await as("admin@baton.local", PHONE);
		for (const { page, width } of [
			{ page: admin.page, width: 1280 },
			{ page: phone.page, width: 390 },
		]) {
			await page.goto(processPath);
			const buttons = page.locator(".tasks-table .row-actions :is(a, button)");
			expect(await buttons.count()).toBeGreaterThan(0);
			const scroller = await page.locator(".tasks-table").evaluate((table) => {
				const box = table.parentElement?.getBoundingClientRect();
				return {
					right: box?.right ?? 0,
					scrolls:
						(table.parentElement?.scrollWidth ?? 0) > (table.parentElement?.clientWidth ?? 0),
				};
			});
			expect(scroller.scrolls).toBe(false);
			for (const box of await buttons.evaluateAll((els) =>
				els.map((el) => el.getBoundingClientRect().toJSON()),
			)) {
				expect(box.right).toBeLessThanOrEqual(Math.min(width, scroller.right) + 0.5);
				expect(box.left).toBeGreaterThanOrEqual(0);
			}
			// "Call for papers" fits one line: no name wraps a word per line.
			const name = page.locator(".tasks-table tbody th a", { hasText: "Call for papers" });
			const lines = await name.evaluate((a) => a.getClientRects().length);
			expect(lines).toBe(1);
			// The list form of the diagram gives a two-digit marker its room.
			const padding = await page
				.locator(".diagram-text ol")
				.evaluate((ol) => Number.parseFloat(getComputedStyle(ol).paddingLeft));
			expect(padding).toBeGreaterThanOrEqual(40);
			await expectNoAxeViolations(page);
			await shot(page, `process-tasks-${width}`);
		}
	});
});
