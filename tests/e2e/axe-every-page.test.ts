// axe-core on every page a person or an administrator can open, at desktop and phone widths: no
// violation at any impact. The pages are reached as people reach them (from the demo's workflows, a
// process started, its task, a bulk action), so each is the page with content, not an empty shell.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AxeViolation, axeViolations } from "./axe.ts";
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

async function violationsAt(page: Page, path: string): Promise<AxeViolation[]> {
	const res = await page.goto(path);
	expect(res?.status(), path).toBeLessThan(500);
	return axeViolations(page);
}

describe("accessibility of every page", () => {
	it("axe finds no violation on any page, on a desktop and on a phone", async () => {
		const { page } = admin;
		await page.goto("/inbox");
		const key = `axe-${Date.now()}`;
		await apiPost(page, "/api/v1/workflows", {
			key,
			name: `Axe ${key}`,
			nodes: [
				{
					key: "ask",
					name: "Ask",
					task: "ask",
					start: true,
					params: { questions: { note: { label: "Note", required: true } } },
				},
				{ key: "end", task: "dummy", end: true },
			],
			transitions: [{ from: "ask", to: "end" }],
		});
		const started = await apiPost(page, "/api/v1/processes", { workflowKey: key });
		const processId = String(started.processId);
		const view = await (await page.request.get(`/api/v1/processes/${processId}`)).json();
		const taskId = String((view as { tasks: { id: string }[] }).tasks[0]?.id);
		const bulk = await apiPost(page, "/api/v1/bulk-operations", {
			action: "suspend",
			filter: { workflow: "no-such-workflow" },
		});
		const me = await (await page.request.get("/api/me")).json();
		const userId = String((me as { id: string }).id);

		const pages = [
			"/inbox",
			"/processes",
			`/processes/${encodeURIComponent(processId)}`,
			`/tasks/${encodeURIComponent(taskId)}`,
			"/workflows",
			`/workflows/${key}/start`,
			"/account",
			"/bulk-actions",
			`/bulk-actions/${bulk.id}`,
			"/admin",
			"/admin/users",
			`/admin/users/${userId}`,
			"/admin/roles",
			"/admin/workflows",
			`/admin/workflows/${key}`,
			`/admin/workflows/${key}/draft`,
			`/admin/workflows/${key}/flow`,
			`/admin/workflows/${key}/migrate`,
			`/admin/workflows/${key}/versions/1`,
			"/admin/import",
			"/admin/incidents",
			"/admin/webhooks",
			"/admin/audit",
			"/admin/outbox",
			"/no-such-page",
		];
		const found: Record<string, AxeViolation[]> = {};
		for (const width of [1280, 390]) {
			await page.setViewportSize({ width, height: 900 });
			for (const path of pages) {
				const violations = await violationsAt(page, path);
				if (violations.length > 0) found[`${path} at ${width}px`] = violations;
			}
		}
		expect(found).toEqual({});
	}, 240_000);
});
