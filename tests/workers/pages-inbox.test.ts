// The inbox: the signed-in user's tasks and their roles' queues from the D1 index, the filters and
// the search, the htmx fragment the polling swaps in, empty states and escaping.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startProcess } from "../../src/durable/process-client.ts";
import { signedIn } from "./auth-fixtures.ts";
import { publish, start, waitFor, workflow } from "./process-fixtures.ts";

let counter = 0;

/** Two start forms, one for each role; returns the process once both tasks are indexed. */
async function twoRoleProcess(
	sales: string,
	finance: string,
	names = { quote: "Write the quote", budget: "Check the budget" },
) {
	counter += 1;
	const key = `inbox-${counter}`;
	const ask = { questions: { answer: { label: "Answer", required: true } } };
	await publish(
		workflow(
			key,
			[
				{
					key: "quote",
					name: names.quote,
					role: sales,
					task: "ask",
					start: true,
					params: ask,
					priority: 1,
				},
				{ key: "budget", name: names.budget, role: finance, task: "ask", start: true, params: ask },
				{ key: "end", task: "dummy", end: true, join: "and" },
			],
			[
				{ from: "quote", to: "end" },
				{ from: "budget", to: "end" },
			],
			{ name: `Purchase ${counter}` },
		),
	);
	const { processId } = await start(key, {});
	await waitFor(
		processId,
		(v) => v.state.tasks.length === 2 && v.state.tasks.every((t) => t.assignee),
	);
	await waitForIndexed(processId, 2);
	return { processId, key };
}

async function waitForIndexed(processId: string, count: number): Promise<void> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const row = await env.DB.prepare(
			"SELECT count(*) AS n FROM tasks WHERE process_id = ? AND assignee IS NOT NULL",
		)
			.bind(processId)
			.first<{ n: number }>();
		if ((row?.n ?? 0) >= count) return;
		if (Date.now() > deadline) throw new Error(`process ${processId} not indexed`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

describe("GET /inbox", () => {
	it("shows the user's own tasks, their role's queue with a claim button, and nothing of other roles", async () => {
		const sales = `sales-${++counter}`;
		const finance = `finance-${++counter}`;
		const alice = await signedIn({ roles: [sales], name: "alice" });
		const bob = await signedIn({ roles: [sales], name: "bob" });
		const carol = await signedIn({ roles: [finance], name: "carol" });
		await twoRoleProcess(sales, finance);

		const aliceHtml = await (await alice.get("/inbox")).text();
		const mine = section(aliceHtml, "mine");
		expect(mine).toContain("Write the quote");
		expect(mine).not.toContain("Check the budget");
		expect(aliceHtml).not.toContain("Check the budget");
		expect(aliceHtml).toMatch(/<strong>1<\/strong> task waits for your input\./);

		const bobHtml = await (await bob.get("/inbox")).text();
		expect(section(bobHtml, "mine")).toContain("Nothing waits for you.");
		const queue = section(bobHtml, "queue");
		expect(queue).toContain("Write the quote");
		expect(queue).toMatch(/<form method="post" action="\/tasks\/[^"]+\/claim" class="inline">/);
		expect(queue).toContain('aria-label="Claim Write the quote"');
		expect(queue).toContain("Alice");

		const carolHtml = await (await carol.get("/inbox")).text();
		expect(carolHtml).toContain("Check the budget");
		expect(carolHtml).not.toContain("Write the quote");
	});

	it("sorts by priority, then age: an urgent task started later comes first and is marked", async () => {
		const sales = `sales-${++counter}`;
		const alice = await signedIn({ roles: [sales], name: "alice" });
		counter += 1;
		const form = (name: string, priority: number) =>
			workflow(
				`inbox-prio-${counter}-${priority}`,
				[
					{
						key: "x",
						name,
						role: sales,
						task: "ask",
						start: true,
						end: true,
						params: { questions: { a: { label: "A", required: true } } },
						priority,
					},
				],
				[],
			);
		await publish(form("Routine form", 9));
		await publish(form("Urgent form", 0));
		const routine = await startProcess(env, {
			workflowKey: `inbox-prio-${counter}-9`,
			priority: 9,
		});
		await waitForIndexed(routine.processId, 1);
		const urgent = await startProcess(env, { workflowKey: `inbox-prio-${counter}-0`, priority: 0 });
		await waitForIndexed(urgent.processId, 1);
		const html = section(await (await alice.get("/inbox")).text(), "mine");
		expect(html.indexOf("Urgent form")).toBeGreaterThan(-1);
		expect(html.indexOf("Urgent form")).toBeLessThan(html.indexOf("Routine form"));
		expect(html).toMatch(/<li class="task-card is-high"[^>]*>.{0,300}Urgent form/);
		expect(html).toContain("High (0)");
	});

	it("filters by workflow, role and status, and searches names; htmx gets the results only", async () => {
		const sales = `sales-${++counter}`;
		const finance = `finance-${++counter}`;
		const dave = await signedIn({ roles: [sales, finance], name: "dave" });
		const first = await twoRoleProcess(sales, finance, {
			quote: "Alpha quote",
			budget: "Alpha budget",
		});
		await twoRoleProcess(sales, finance, { quote: "Beta quote", budget: "Beta budget" });

		const byRole = await (await dave.get(`/inbox?role=${finance}`)).text();
		expect(byRole).toContain("Alpha budget");
		expect(byRole).not.toContain("Alpha quote");
		expect(byRole).toMatch(new RegExp(`<option value="${finance}" selected="">`));

		const byWorkflow = await (await dave.get(`/inbox?workflow=${first.key}`)).text();
		expect(byWorkflow).toContain("Alpha quote");
		expect(byWorkflow).not.toContain("Beta quote");

		const res = await dave.get("/inbox?q=beta%20q", { "HX-Request": "true" });
		expect(res.status).toBe(200);
		expect(res.headers.get("Vary")).toContain("HX-Request");
		const fragment = await res.text();
		expect(fragment).not.toContain("<html");
		expect(fragment).toContain("Beta quote");
		expect(fragment).not.toContain("Alpha");
		expect(fragment).not.toContain("Beta budget");

		const running = await (await dave.get("/inbox?status=STARTED")).text();
		expect(running).toContain("No task matches these filters.");
		expect(running).toContain('<a href="/inbox">Clear filters</a>');
	});

	it("takes a search for % or _ literally", async () => {
		const sales = `sales-${++counter}`;
		const finance = `finance-${++counter}`;
		const erin = await signedIn({ roles: [sales, finance], name: "erin" });
		await twoRoleProcess(sales, finance, { quote: "Quote 100%", budget: "Budget" });
		const html = await (await erin.get("/inbox?q=%25")).text();
		expect(html).toContain("Quote 100%");
		expect(html).not.toMatch(/>Budget</);
	});

	it("shows a friendly empty state to someone with nothing to do", async () => {
		const frank = await signedIn({ name: "frank" });
		const res = await frank.get("/inbox");
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain("Nothing waits for you.");
		expect(html).toContain("Nothing waits for your input right now.");
		// Frank may start no workflow: the inbox does not offer to.
		expect(html).not.toContain("Start a process");
		expect(html).toContain('Look at <a href="/processes">the processes</a>.');
		// Without JavaScript nothing is live: the promise shows only while a stream is connected.
		expect(html).toContain('<span class="live-only">New tasks appear here by themselves.</span>');
		expect(html).toContain('<span class="static-only">Reload the page to see new tasks.</span>');
		expect(html).not.toContain("Your roles’ queues");
		const admin = await signedIn({ name: "ada", isAdmin: true });
		expect(await (await admin.get("/inbox")).text()).toContain(
			'<a href="/workflows">Start a process</a>',
		);
	});

	it("refetches its results when its live stream says so, carrying the filters, and works as a plain GET form", async () => {
		const frank = await signedIn({ name: "frank" });
		const html = await (await frank.get("/inbox")).text();
		expect(html).toMatch(/<form id="inbox-filters" class="filters" method="get" action="\/inbox"/);
		expect(html).toMatch(
			/<div id="inbox-results" hx-get="\/inbox" hx-include="#inbox-filters" hx-trigger="tasks-changed from:#inbox-stream delay:150ms, every 60s" hx-swap="innerMorph">/,
		);
		// The live indicator is hidden until app.js sees the stream connected.
		expect(html).toMatch(
			/<div id="inbox-stream" class="live-indicator" hx-sse:connect="\/inbox\/events" hidden="">/,
		);
		expect(html).toContain('<div id="flash" class="flash" aria-live="polite"></div>');
		expect(html).toMatch(/<a href="\/inbox" aria-current="page">/);
	});

	it("escapes names from definitions", async () => {
		const sales = `sales-${++counter}`;
		const finance = `finance-${++counter}`;
		const gina = await signedIn({ roles: [sales, finance], name: "gina" });
		await twoRoleProcess(sales, finance, { quote: "<img src=x onerror=alert(1)>", budget: "ok" });
		const html = await (await gina.get("/inbox")).text();
		expect(html).not.toContain("<img src=x");
		expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
	});

	it("leads from / to the inbox", async () => {
		const frank = await signedIn({ name: "frank" });
		const res = await frank.get("/");
		expect(res.status).toBe(302);
		expect(res.headers.get("Location")).toBe("/inbox");
	});
});

/** The HTML of one inbox section. */
function section(html: string, id: "mine" | "queue" | "attention"): string {
	const start = html.indexOf(`id="inbox-${id}"`);
	if (start < 0) return "";
	const end = html.indexOf("</section>", start);
	return html.slice(start, end);
}
