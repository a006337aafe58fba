// The browser side of the e2e tests: Debian's Chromium through playwright-core, one context per
// person, the demo people's sign-in, and a record of what went wrong in the page (script errors,
// unexpected 5xx answers, requests that lack the CSRF header).
import { mkdirSync } from "node:fs";
import {
	type Browser,
	type BrowserContext,
	chromium,
	type Page,
	type Request,
} from "playwright-core";
import { expect, inject } from "vitest";

export const baseURL = inject("baseURL");
export const DEMO_PASSWORD = "baton-demo";
export const SHOTS = "test-results";

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
		// Playwright already passes --headless, --no-sandbox and a fresh profile; these are the extra
		// flags this machine needs.
		args: [
			"--disable-gpu",
			"--disable-quic",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
		],
	});
}

/** What a page did wrong while a test drove it. */
export interface PageProblems {
	errors: string[];
	/** Unsafe htmx requests (POST…) sent without the X-CSRF-Token header. */
	unsafeWithoutCsrf: string[];
	/** Every unsafe htmx request seen. */
	unsafeHtmx: string[];
}

export interface Person {
	context: BrowserContext;
	page: Page;
	problems: PageProblems;
}

function watch(page: Page, problems: PageProblems): void {
	page.on("pageerror", (e) => problems.errors.push(`pageerror: ${e.message}`));
	page.on("console", (m) => {
		// Chromium logs every 4xx as "Failed to load resource"; 422s are expected in form tests.
		if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
			problems.errors.push(`console: ${m.text()}`);
		}
	});
	page.on("response", (r) => {
		if (r.status() >= 500) problems.errors.push(`${r.status()} ${r.url()}`);
		if (r.status() === 404) problems.errors.push(`404 ${r.url()}`);
	});
	page.on("request", (r: Request) => {
		const headers = r.headers();
		if (headers["hx-request"] !== "true" || ["GET", "HEAD"].includes(r.method())) return;
		problems.unsafeHtmx.push(`${r.method()} ${r.url()}`);
		if (!headers["x-csrf-token"]) problems.unsafeWithoutCsrf.push(`${r.method()} ${r.url()}`);
	});
}

/** A phone: a narrow, touch, high-density screen. */
export const PHONE = {
	viewport: { width: 390, height: 844 },
	isMobile: true,
	hasTouch: true,
	deviceScaleFactor: 2,
};

/** A new person in their own browser context (cookies apart), signed in when `email` is given. */
export async function person(
	browser: Browser,
	email?: string,
	device: {
		viewport: { width: number; height: number };
		isMobile?: boolean;
		hasTouch?: boolean;
		deviceScaleFactor?: number;
	} = {
		viewport: { width: 1280, height: 900 },
	},
): Promise<Person> {
	const context = await browser.newContext({ baseURL, ...device });
	const page = await context.newPage();
	const problems: PageProblems = { errors: [], unsafeWithoutCsrf: [], unsafeHtmx: [] };
	watch(page, problems);
	if (email) await signIn(page, email);
	return { context, page, problems };
}

export async function signIn(page: Page, email: string): Promise<void> {
	await page.goto("/sign-in");
	await page.getByLabel("Email").fill(email);
	await page.getByLabel("Password").fill(DEMO_PASSWORD);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

export async function shot(page: Page, name: string): Promise<void> {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Starts the conference from the start page; returns the new process page's path. */
export async function startConference(page: Page, name: string): Promise<string> {
	await page.goto("/workflows");
	await page.getByRole("link", { name: "Start Organizing a conference", exact: true }).click();
	await page.getByLabel("Name").fill(name);
	await page.getByRole("button", { name: "Start process" }).click();
	await page.waitForURL(/\/processes\/p-[0-9a-f]+\?notice=started$/);
	return new URL(page.url()).pathname;
}

/** A JSON API call from the page, with its session and its CSRF token; the answer must be a 2xx. */
export async function apiPost(
	page: Page,
	path: string,
	data: unknown,
): Promise<Record<string, unknown>> {
	const headers = await page.evaluate(() =>
		JSON.parse(document.body.getAttribute("hx-headers:inherited") ?? "{}"),
	);
	const res = await page.request.post(path, { data, headers });
	expect(res.status(), await res.text()).toBeLessThan(300);
	return (await res.json()) as Record<string, unknown>;
}
