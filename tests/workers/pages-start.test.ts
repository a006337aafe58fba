// Starting a process from the pages: the workflows list (who may start what), the start form with
// the workflow's params, validation (422), an idempotent submit, and the new process's page.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { grantPermission } from "../../src/db/people.ts";
import { signedIn } from "./auth-fixtures.ts";
import { publish, view, workflow } from "./process-fixtures.ts";

let counter = 0;

async function publishWithParams(name = "Order supplies") {
	counter += 1;
	const key = `start-${counter}`;
	await publish(
		workflow(
			key,
			[
				{ key: "a", name: "Prepare", task: "dummy", start: true },
				{ key: "b", name: "Deliver", task: "dummy", end: true },
			],
			[{ from: "a", to: "b" }],
			{
				name,
				description: "Orders what the team needs.",
				priority: 5,
				startForm: {
					quantity: { label: "Quantity", type: "integer", min: 1, default: 3 },
					urgent: { label: "Urgent", type: "checkbox", default: false },
					supplier: { label: "Supplier", default: "ACME" },
					size: { label: "Size", type: "select", options: ["S", "M", "L"] },
				},
			},
		),
	);
	return key;
}

async function starter(key: string) {
	const person = await signedIn({ name: "starter" });
	await grantPermission(env.DB, {
		subjectKind: "user",
		subjectId: person.user.id,
		permission: "workflow.start",
		scope: key,
		now: Date.now(),
	});
	return person;
}

describe("GET /workflows", () => {
	it("lists published workflows, with a start button only where the user may start", async () => {
		const key = await publishWithParams("Startable one");
		const other = await publishWithParams("Not for you");
		const person = await starter(key);
		const html = await (await person.get("/workflows")).text();
		expect(html).toMatch(
			/You can start[\s\S]*Startable one[\s\S]*Other workflows[\s\S]*Not for you/,
		);
		expect(html).toContain(`href="/workflows/${key}/start" aria-label="Start Startable one"`);
		expect(html).not.toContain(`/workflows/${other}/start`);
	});

	it("escapes workflow names", async () => {
		const key = await publishWithParams("<script>alert('w')</script>");
		const person = await starter(key);
		const html = await (await person.get("/workflows")).text();
		expect(html).not.toContain("<script>alert");
		expect(html).toContain("&lt;script&gt;alert(&#39;w&#39;)&lt;/script&gt;");
	});
});

describe("GET /workflows/:key/start", () => {
	it("T10 shows a form with a name, a priority and the start form's fields with their defaults, and the diagram", async () => {
		const key = await publishWithParams();
		const person = await starter(key);
		const res = await person.get(`/workflows/${key}/start`);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain("Start “Order supplies”");
		expect(html).toMatch(
			/<form id="start-form"[^>]*method="post" action="\/workflows\/[^"]+\/start"[^>]*novalidate/,
		);
		expect(html).toMatch(/<option value="5" selected="">5 · default<\/option>/);
		expect(html).toMatch(
			/<input id="param-quantity" name="quantity"[^>]*type="number"[^>]*value="3"/,
		);
		expect(html).toMatch(/<input id="param-urgent" name="urgent" type="checkbox" value="true"\/>/);
		expect(html).toMatch(/<input id="param-supplier" name="supplier"[^>]*value="ACME"/);
		expect(html).toMatch(/<select id="param-size" name="size"/);
		expect(html).toMatch(/<svg [^>]*role="img"/);
	});

	it("answers 404 when the user may not start the workflow, or it does not exist", async () => {
		const key = await publishWithParams();
		const person = await signedIn({ name: "nobody" });
		expect((await person.get(`/workflows/${key}/start`)).status).toBe(404);
		expect((await person.post(`/workflows/${key}/start`)).status).toBe(404);
		expect((await person.get("/workflows/no-such-thing/start")).status).toBe(404);
	});
});

describe("POST /workflows/:key/start", () => {
	it("starts the process with the typed params and opens its page (303)", async () => {
		const key = await publishWithParams();
		const person = await starter(key);
		const res = await person.post(`/workflows/${key}/start`, {
			_nonce: "start-nonce-1",
			name: "Printer paper",
			priority: "2",
			quantity: "12",
			urgent: "true",
			supplier: "Paper & Co",
			size: "M",
		});
		expect(res.status).toBe(303);
		const location = res.headers.get("Location") as string;
		expect(location).toMatch(/^\/processes\/p-[0-9a-f]+\?notice=started$/);
		const processId = decodeURIComponent(
			location.slice("/processes/".length, location.indexOf("?")),
		);
		const v = await view(processId);
		expect(v.state).toMatchObject({
			name: "Printer paper",
			priority: 2,
			params: { quantity: 12, urgent: true, supplier: "Paper & Co", size: "M" },
		});
		expect(v.startedBy).toBe(person.user.id);
		const page = await (await person.get(location)).text();
		expect(page).toContain("The process has started.");
	});

	it("starts one process for a double submit of the same form", async () => {
		const key = await publishWithParams();
		const person = await starter(key);
		const fields = { _nonce: "start-nonce-twice", name: "Once" };
		const a = await person.post(`/workflows/${key}/start`, fields);
		const b = await person.post(`/workflows/${key}/start`, fields);
		expect(a.headers.get("Location")).toBe(b.headers.get("Location"));
	});

	it("re-renders the form with the errors and what was typed (422), the fragment for htmx", async () => {
		const key = await publishWithParams();
		const person = await starter(key);
		const fields = { name: "Typed name", priority: "12", quantity: "many", size: "XL" };
		const res = await person.post(`/workflows/${key}/start`, fields);
		expect(res.status).toBe(422);
		const html = await res.text();
		expect(html).toContain("There is a problem");
		expect(html).toContain("Choose a priority from 0 (highest) to 9 (lowest).");
		expect(html).toContain("“Quantity” must be a number, like 12.");
		expect(html).toContain("Choose one of the options for “Size”.");
		expect(html).toMatch(/id="start-name"[^>]*value="Typed name"/);
		expect(html).toMatch(/id="param-quantity"[^>]*value="many"/);
		const htmx = await person.post(`/workflows/${key}/start`, fields, { "HX-Request": "true" });
		expect(htmx.status).toBe(422);
		expect((await htmx.text()).startsWith('<form id="start-form"')).toBe(true);
	});
});
