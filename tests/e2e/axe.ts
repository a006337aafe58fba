// axe-core (from npm) run inside a page: every violation at any impact fails the test. The script
// is evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not stop it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = readFileSync(
	createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
	"utf8",
);

export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	targets: string[];
}

/** The page's axe violations (WCAG 2.x A and AA, and best practices), none expected. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
	await page.evaluate(axeSource);
	return page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe;
		interface AxeResults {
			violations: {
				id: string;
				impact: string | null;
				help: string;
				nodes: { target: string[] }[];
			}[];
		}
		const results = await axe.run();
		return results.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			targets: v.nodes.map((n) => n.target.join(" ")),
		}));
	});
}
