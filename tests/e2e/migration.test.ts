// O2 in a real browser: an admin opens a workflow's migration page, reaches the dry run with the
// keyboard alone, and reads its table (a caption, a row header per process, what moves where and
// why a process cannot migrate); nothing on the page errs.
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

const ASK = { questions: { note: { label: "Note", required: true } } };

function version(key: string, second: boolean) {
	return {
		key,
		name: key,
		nodes: [
			{ key: "ask", name: "Ask", task: "ask", start: true, params: ASK },
			second
				? { key: "job", name: "Do the job", task: "dummy" }
				: { key: "work", name: "Work", task: "dummy" },
			{ key: "end", task: "dummy", end: true },
		],
		transitions: [
			{ from: "ask", to: second ? "job" : "work" },
			{ from: second ? "job" : "work", to: "end" },
		],
	};
}

describe("O2 the migration dry run in a browser", () => {
	it("O2 is reached with the keyboard and its table is readable", async () => {
		const { page, problems } = admin;
		const key = `migrated-${Date.now()}`;
		await page.goto("/admin");
		await apiPost(page, "/api/v1/workflows", version(key, false));
		const started = await apiPost(page, "/api/v1/processes", { workflowKey: key });
		const processId = String(started.processId);
		await apiPost(page, "/api/v1/workflows", version(key, true));

		await page.goto(`/admin/workflows/${key}/migrate`);
		// "Work" has no namesake in version 2: it maps to "revoke" until the admin chooses "Do the job".
		await expect.poll(() => page.getByLabel("Work").inputValue()).toBe("-revoke-");
		await page.getByLabel("Work").selectOption("job");

		let reached = false;
		for (let i = 0; i < 60 && !reached; i++) {
			await page.keyboard.press("Tab");
			reached = await page.evaluate(
				() => document.activeElement?.textContent?.trim() === "Dry run",
			);
		}
		expect(reached, "the Dry run button is reachable with Tab").toBe(true);
		await page.keyboard.press("Enter");

		const table = page.getByRole("table", { name: /Dry run: 1 process of version 1 to version 2/ });
		await expect.poll(() => table.count()).toBe(1);
		const row = table.getByRole("row", { name: new RegExp(processId) });
		expect(await row.getByRole("rowheader").textContent()).toBe(processId);
		const cells = await row.getByRole("cell").allTextContents();
		expect(cells[0]).toBe("Can migrate");
		expect(cells[1]).toContain("Ask → Ask");
		expect(problems.errors).toEqual([]);
	});
});
