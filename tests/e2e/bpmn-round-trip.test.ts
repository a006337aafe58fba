// Baton's BPMN exports in bpmn-js, the library behind Camunda Modeler: an admin downloads the export
// of every shipped workflow from the running Worker (the demo publishes them all, the supplier
// contract with its boundaries, schedule, event-based gateway and messages), and a workflow for
// each time and event construct is exported too; bpmn-js imports each without a warning, boundary
// events on their hosts and subprocesses expanded. bpmn-js (from node_modules) is served to the
// page from the Worker's origin by the browser context, so nothing is added to the app.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportBpmn } from "../../src/bpmn/export.ts";
import { shippedWorkflows } from "../../src/workflows/index.ts";
import { boundaries, timeAndEvents } from "../fixtures/bpmn/time-and-events.ts";
import { baseURL, launchBrowser, type Person, person, shot } from "./browser.ts";

const require = createRequire(import.meta.url);
const VIEWER = readFileSync(require.resolve("bpmn-js/dist/bpmn-viewer.production.min.js"), "utf8");
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bpmn-js</title>
<link rel="stylesheet" href="/__bpmn-js/diagram-js.css">
<script src="/__bpmn-js/viewer.js"></script></head>
<body><div id="canvas" style="width: 1600px; height: 900px"></div></body></html>`;

let browser: Browser;
let admin: Person;
let page: Page;

beforeAll(async () => {
	browser = await launchBrowser();
	admin = await person(browser, "admin@baton.local");
	// A page of the Worker's origin that only the test serves: bpmn-js and a canvas for it.
	await admin.context.route(`${baseURL}/__bpmn-js/**`, (route) => {
		const path = new URL(route.request().url()).pathname;
		if (path.endsWith("/viewer.js")) {
			return route.fulfill({ contentType: "text/javascript", body: VIEWER });
		}
		if (path.endsWith("/diagram-js.css")) {
			const css = readFileSync(require.resolve("bpmn-js/dist/assets/diagram-js.css"), "utf8");
			return route.fulfill({ contentType: "text/css", body: css });
		}
		return route.fulfill({ contentType: "text/html", body: PAGE });
	});
	page = await admin.context.newPage();
	await page.goto("/__bpmn-js/");
});

afterAll(async () => {
	await browser?.close();
});

interface Imported {
	warnings: string[];
	elements: number;
	boundaries: { id: string; host?: string }[];
	subprocesses: { id: string; isExpanded: boolean; holds: number }[];
}

/** bpmn-js's import of `xml`: its warnings and what it drew. */
function importInBpmnJs(xml: string): Promise<Imported> {
	return page.evaluate(async (text) => {
		interface Shape {
			id: string;
			type: string;
			host?: { id: string };
			children?: unknown[];
			di?: { isExpanded?: boolean };
		}
		interface Viewer {
			importXML(xml: string): Promise<{ warnings: { message: string }[] }>;
			get(name: "elementRegistry"): { getAll(): Shape[] };
			get(name: "canvas"): { zoom(how: string): void };
			destroy(): void;
		}
		const scope = window as unknown as {
			BpmnJS: new (options: { container: string }) => Viewer;
			viewer?: Viewer;
		};
		// One viewer at a time: the last file stays on the canvas for a screenshot.
		scope.viewer?.destroy();
		const viewer = new scope.BpmnJS({ container: "#canvas" });
		scope.viewer = viewer;
		const { warnings } = await viewer.importXML(text);
		viewer.get("canvas").zoom("fit-viewport");
		const all = viewer.get("elementRegistry").getAll();
		return {
			warnings: warnings.map((w) => w.message),
			elements: all.length,
			boundaries: all
				.filter((e) => e.type === "bpmn:BoundaryEvent" && !e.id.endsWith("_label"))
				.map((e) => (e.host ? { id: e.id, host: e.host.id } : { id: e.id })),
			subprocesses: all
				.filter((e) => e.type === "bpmn:SubProcess")
				.map((e) => ({
					id: e.id,
					isExpanded: e.di?.isExpanded === true,
					holds: (e.children ?? []).length,
				})),
		};
	}, xml);
}

describe("BPMN exports in bpmn-js", () => {
	for (const def of shippedWorkflows) {
		it(`imports the exported "${def.key}" as drawn, with no warning`, async () => {
			const response = await admin.page.request.get(
				`/admin/workflows/${def.key}/versions/1/export.bpmn`,
			);
			expect(response.status()).toBe(200);
			const imported = await importInBpmnJs(await response.text());
			expect(imported.warnings).toEqual([]);
			expect(imported.elements).toBeGreaterThan(def.nodes.length);
			const hosts = def.nodes.filter((n) => n.attachedTo).map((n) => `${n.key} on ${n.attachedTo}`);
			const drawn = imported.boundaries.map((b) => `${b.id} on ${b.host}`);
			expect(drawn.sort()).toEqual(hosts.sort());
			if (def.key === "supplier-contract") await shot(page, "bpmn-js-supplier-contract");
		});
	}

	for (const def of timeAndEvents) {
		it(`imports the exported "${def.key}" (time and events) with no warning`, async () => {
			const imported = await importInBpmnJs(await exportBpmn(def));
			expect(imported.warnings).toEqual([]);
			for (const boundary of imported.boundaries) expect(boundary.host).toBeDefined();
			for (const sub of imported.subprocesses) {
				expect(sub.isExpanded).toBe(true);
				expect(sub.holds).toBeGreaterThan(0);
			}
		});
	}

	it("reports a broken file's warnings, so a clean import means something", async () => {
		const xml = (await exportBpmn(boundaries)).replace(
			'bpmnElement="approve"',
			'bpmnElement="nowhere"',
		);
		const imported = await importInBpmnJs(xml);
		expect(imported.warnings.length).toBeGreaterThan(0);
	});
});
