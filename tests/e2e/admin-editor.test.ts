// The workflow editor in a real browser: an admin builds a workflow form by form (the params fields
// follow the task type, the report and the diagram are redrawn after each change), publishes it,
// and a process of it runs to the end. Also at a phone's width, and with no page errors.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, launchBrowser, type Person, PHONE, person, shot, signIn } from "./browser.ts";

let browser: Browser;
const people: Person[] = [];

beforeAll(async () => {
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

async function admin(device?: typeof PHONE): Promise<Person> {
	const p = await person(browser, "admin@baton.local", device);
	people.push(p);
	return p;
}

/** Opens the "Add a node" form, fills it, and waits for the redrawn editor to show the node. */
async function addNode(
	page: Page,
	node: { key: string; name: string; task?: string; start?: boolean; end?: boolean },
	params: Record<string, string> = {},
) {
	const form = page.locator("#new-node");
	await form.locator("summary").click();
	await form.getByLabel("Key").fill(node.key);
	// Exactly: "Item param name" (once per item) is a label of the node form too.
	await form.getByLabel("Name", { exact: true }).fill(node.name);
	if (node.task) {
		await form.getByLabel("Task type").selectOption(node.task);
		// htmx swaps in the params fields of the chosen task type.
		await expect
			.poll(() => form.locator("legend", { hasText: `Params (${node.task})` }).count())
			.toBe(1);
	}
	for (const [label, value] of Object.entries(params)) await form.getByLabel(label).fill(value);
	if (node.start) await form.getByLabel("Start node").check();
	if (node.end) await form.getByLabel("End node").check();
	await form.getByRole("button", { name: "Add node" }).click();
	await expect.poll(() => page.locator(`#preview [data-node="${node.key}"]`).count()).toBe(1);
}

function fitsWidth(page: Page): Promise<boolean> {
	return page.evaluate(
		() =>
			window.innerWidth <= screen.width + 1 &&
			document.documentElement.scrollWidth <= screen.width + 1,
	);
}

describe("the workflow editor in a browser", () => {
	it("builds a workflow, publishes it, and a process of it runs to the end", async () => {
		const { page, problems } = await admin();
		const key = `greeting-${Date.now()}`;
		const name = `Greeting ${Date.now()}`;
		await page.goto("/admin/workflows");
		await page.getByLabel("Key").fill(key);
		await page.getByLabel("Name").fill(name);
		await page.getByRole("button", { name: "Create and open the editor" }).click();
		await page.waitForURL(`**/admin/workflows/${key}/draft?notice=created`);
		await expect
			.poll(() => page.locator("#report").textContent())
			.toContain("no node is a start node");

		await addNode(
			page,
			{ key: "greet", name: "Say hello", task: "question", start: true },
			{ Question: "Ready to go?" },
		);
		expect(await page.locator("#report").textContent()).toContain("no node is an end node");
		await addNode(page, { key: "done", name: "Done", end: true });
		// Focus goes to the status of the change, inside the node just added (read out, not lost).
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
			'Node "done" added.',
		);
		expect(await page.evaluate(() => document.activeElement?.closest(".node-card")?.id)).toBe(
			"node-1",
		);

		const transition = page.locator("#new-transition");
		await transition.getByLabel("From").selectOption("greet");
		await transition.getByLabel("To").selectOption("done");
		await transition.getByRole("button", { name: "Add transition" }).click();
		await expect
			.poll(() => page.locator("#report").textContent())
			.toContain("The draft can be published.");
		expect(await page.locator("#preview .edge").count()).toBeGreaterThanOrEqual(3);
		await shot(page, "admin-editor");

		await page.getByRole("button", { name: "Publish as version 1" }).click();
		await page.waitForURL(`**/admin/workflows/${key}?published=1&notice=published`);
		expect(await page.getByText("The workflow was published.").count()).toBe(1);

		await page.goto("/workflows");
		await page.getByRole("link", { name: `Start ${name}`, exact: true }).click();
		await page.getByLabel("Name").fill("First greeting");
		await page.getByRole("button", { name: "Start process" }).click();
		await page.waitForURL(/\/processes\/p-[0-9a-f]+\?notice=started$/);
		const processPath = new URL(page.url()).pathname;
		await expect
			.poll(() => page.locator('[data-node="greet"]').getAttribute("data-status"))
			.toBe("waiting");
		await page.getByRole("link", { name: "Fill in" }).first().click();
		await page.waitForURL(/\/tasks\//);
		await page.getByLabel("Answer").fill("Yes!");
		await page.getByRole("button", { name: "Submit" }).click();
		await page.waitForURL((url) => url.searchParams.get("notice") === "submitted");
		await page.goto(processPath);
		await expect
			.poll(() => page.locator('[data-node="done"]').getAttribute("data-status"))
			.toBe("success");

		expect(problems.errors).toEqual([]);
		expect(problems.unsafeWithoutCsrf).toEqual([]);
		expect(problems.unsafeHtmx.some((r) => r.includes("/draft/nodes"))).toBe(true);
	});

	it("shows every mistake inline and refuses to publish; the editor fits a phone", async () => {
		const { page, problems } = await admin(PHONE);
		const key = `broken-${Date.now()}`;
		await page.goto("/admin/workflows");
		await page.getByLabel("Key").fill(key);
		await page.getByLabel("Name").fill("Broken");
		await page.getByRole("button", { name: "Create and open the editor" }).click();
		await page.waitForURL(`**/admin/workflows/${key}/draft?notice=created`);
		await addNode(page, { key: "call", name: "Call", task: "http" }, { URL: "not a url" });
		expect(await fitsWidth(page)).toBe(true);
		const node = page.locator("#node-0");
		await expect.poll(() => node.locator(".inline-problems").textContent()).toContain("params.url");
		await page.getByRole("button", { name: "Publish as version 1" }).click();
		const summary = page.locator("#form-errors");
		await expect
			.poll(() => summary.textContent())
			.toContain("It cannot be published yet: 3 problems to fix.");
		expect(await summary.textContent()).toContain("no node is a start node: tick “Start node”");
		// D2: with no end node, no end can be reached: an error, not a warning.
		expect(await summary.textContent()).toContain("no node is an end node: tick “End node”");
		expect(await page.evaluate(() => document.activeElement?.id)).toBe("form-errors");
		expect(new URL(page.url()).pathname).toBe(`/admin/workflows/${key}/draft`);
		await shot(page, "admin-editor-phone");
		expect(problems.errors).toEqual([]);
	});

	it("works without JavaScript: plain posts and 303s, a mistake shown on a full page", async () => {
		const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
		const page = await context.newPage();
		await signIn(page, "admin@baton.local");
		const key = `nojs-${Date.now()}`;
		await page.goto("/admin/workflows");
		await page.getByLabel("Key").fill(key);
		await page.getByLabel("Name").fill("No script");
		await page.getByRole("button", { name: "Create and open the editor" }).click();
		await page.waitForURL(`**/admin/workflows/${key}/draft?notice=created`);
		const form = page.locator("#new-node");
		await form.locator("summary").click();
		await form.getByLabel("Key").fill("9 lives");
		await form.getByLabel("Start node").check();
		await form.getByLabel("End node").check();
		await form.getByRole("button", { name: "Add node" }).click();
		// 422: a full page, the value typed kept, the message next to its field.
		await page.waitForSelector("#new-node-key-error");
		expect(await page.locator("#new-node-key").inputValue()).toBe("9 lives");
		expect(await page.locator("#new-node-key-error").textContent()).toContain("A key is a letter");
		expect(await page.locator("#new-node-start").isChecked()).toBe(true);
		await page.locator("#new-node-key").fill("only");
		await page.locator("#new-node").getByRole("button", { name: "Add node" }).click();
		await page.waitForURL(/notice=saved/);
		expect(await page.locator("#report").textContent()).toContain("The draft can be published.");
		await page.getByRole("button", { name: "Publish as version 1" }).click();
		await page.waitForURL(`**/admin/workflows/${key}?published=1&notice=published`);
		await context.close();
	});
});
