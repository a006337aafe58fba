// axe-core (from npm) run inside the page under test: every rule at every impact, so a test can
// expect no violations at all. The script is evaluated through the DevTools protocol, which the
// page's Content-Security-Policy (script-src 'self') does not apply to.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	targets: string[];
}

/** The violations axe finds on the page as it is now (an empty list when there are none). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
	const hasAxe = await page.evaluate(() => "axe" in window);
	if (!hasAxe) await page.evaluate(source);
	return page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<unknown> } }).axe;
		const result = (await axe.run(document)) as {
			violations: {
				id: string;
				impact: string | null;
				help: string;
				nodes: { target: string[] }[];
			}[];
		};
		return result.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			targets: v.nodes.map((n) => n.target.join(" ")),
		}));
	});
}
