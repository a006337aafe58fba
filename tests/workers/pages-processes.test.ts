// The processes list and the process page: who sees which process (404 otherwise), filters and
// pages, the diagram and the timeline, the live fragment for htmx, the SSE stream pushed from the
// ProcessObject, and stopping a process.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { grantPermission } from "../../src/db/people.ts";
import { processStub, startProcess } from "../../src/durable/process-client.ts";
import { makeUser, signedIn } from "./auth-fixtures.ts";
import { publish, view, waitFor, workflow } from "./process-fixtures.ts";

let counter = 0;

/** ask (role) → loop back to itself until "done" → end: a small workflow with a loop. */
async function publishLoop(role: string, name = "Review loop") {
	counter += 1;
	const key = `processes-${counter}`;
	await publish(
		workflow(
			key,
			[
				{
					key: "review",
					name: "Review",
					role,
					task: "ask",
					start: true,
					split: "xor",
					params: { questions: { done: { label: "Done", type: "checkbox" } } },
				},
				{ key: "end", name: "Finish", task: "dummy", end: true },
			],
			[
				{ from: "review", to: "review", condition: "= result.done != true" },
				{ from: "review", to: "end", condition: "= result.done = true" },
			],
			{ name },
		),
	);
	return key;
}

async function startAs(key: string, startedBy: string | null, name?: string) {
	const { processId } = await startProcess(env, {
		workflowKey: key,
		startedBy,
		...(name ? { name } : {}),
	});
	await waitFor(processId, (v) => v.state.tasks.some((t) => t.assignee));
	await waitForIndexed(processId);
	return { processId, href: `/processes/${encodeURIComponent(processId)}` };
}

async function waitForIndexed(processId: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const row = await env.DB.prepare("SELECT revision FROM processes WHERE id = ?")
			.bind(processId)
			.first<{ revision: number }>();
		const v = await view(processId);
		if (row && row.revision === v.revision) return;
		if (Date.now() > deadline) throw new Error(`process ${processId} not indexed`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

describe("GET /processes", () => {
	it("lists the processes a user may see: started by them, or with a task of their role", async () => {
		const role = `role-${++counter}`;
		const alice = await signedIn({ roles: [role], name: "alice" });
		const stranger = await signedIn({ roles: [`other-${counter}`], name: "stranger" });
		const key = await publishLoop(role);
		await startAs(key, null, "Visible through the role");
		await startAs(key, stranger.user.id, "Started by the stranger");

		const html = await (await alice.get("/processes")).text();
		expect(html).toContain("Visible through the role");
		expect(html).toContain("Started by the stranger"); // its task is in alice's role
		const theirs = await (await stranger.get("/processes")).text();
		expect(theirs).toContain("Started by the stranger");
		expect(theirs).not.toContain("Visible through the role");
	});

	it("filters by workflow, status, start date and search, and answers htmx with the results", async () => {
		const role = `role-${++counter}`;
		const admin = await signedIn({ isAdmin: true, name: "ada" });
		await makeUser({ roles: [role] });
		const key = await publishLoop(role);
		const other = await publishLoop(role);
		await startAs(key, null, "Kept apple");
		await startAs(other, null, "Other pear");

		const byWorkflow = await (await admin.get(`/processes?workflow=${key}`)).text();
		expect(byWorkflow).toContain("Kept apple");
		expect(byWorkflow).not.toContain("Other pear");
		const bySearch = await admin.get("/processes?q=pear", { "HX-Request": "true" });
		const fragment = await bySearch.text();
		expect(fragment).not.toContain("<html");
		expect(fragment).toContain("Other pear");
		expect(fragment).not.toContain("Kept apple");
		const today = new Date().toISOString().slice(0, 10);
		expect(await (await admin.get(`/processes?from=${today}&q=apple`)).text()).toContain(
			"Kept apple",
		);
		expect(await (await admin.get(`/processes?to=2000-01-01&q=apple`)).text()).toContain(
			"No process matches these filters.",
		);
		const finished = await (await admin.get(`/processes?status=SUCCESS&q=apple`)).text();
		expect(finished).toContain("No process matches these filters.");
		const bad = await (await admin.get("/processes?from=yesterday")).text();
		expect(bad).toContain("Enter a date like 2027-03-14.");
	});

	it("pages through many processes, keeping the filters in the links", async () => {
		const role = `role-${++counter}`;
		const admin = await signedIn({ isAdmin: true, name: "ada" });
		await makeUser({ roles: [role] });
		const key = await publishLoop(role);
		for (let i = 0; i < 27; i++) {
			await startProcess(env, { workflowKey: key, name: `Bulk ${i}` });
		}
		const deadline = Date.now() + 15_000;
		for (;;) {
			const row = await env.DB.prepare("SELECT count(*) AS n FROM processes WHERE workflow_key = ?")
				.bind(key)
				.first<{ n: number }>();
			if ((row?.n ?? 0) >= 27 || Date.now() > deadline) break;
			await new Promise((r) => setTimeout(r, 50));
		}
		const first = await (await admin.get(`/processes?workflow=${key}`)).text();
		expect(first).toContain("Showing 1–25 of 27 processes.");
		expect(first).toContain(`<a href="/processes?workflow=${key}&amp;page=2" rel="next">`);
		const second = await (await admin.get(`/processes?workflow=${key}&page=2`)).text();
		expect(second).toContain("Showing 26–27 of 27 processes.");
		expect(second).toContain("Page 2 of 2");
	});
});

describe("GET /processes/:id", () => {
	it("shows the process: status, diagram with node states, tasks, history and actions", async () => {
		const role = `role-${++counter}`;
		const alice = await signedIn({ roles: [role], name: "alice" });
		const key = await publishLoop(role);
		const { href } = await startAs(key, alice.user.id, "Quarterly review");
		const res = await alice.get(href);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain("<h1>Quarterly review</h1>");
		expect(html).toContain('<span class="badge tone-info badge-large">Running</span>');
		expect(html).toMatch(
			/<svg [^>]*role="img" aria-labelledby="process-diagram-title process-diagram-desc"/,
		);
		expect(html).toMatch(
			/<g class="node st-waiting is-active"[^>]*data-node="review" data-status="waiting">/,
		);
		expect(html).toMatch(/<g class="node st-idle is-end"[^>]*data-node="end"/);
		expect(html).toMatch(/<g class="edge edge-self">/);
		expect(html).toContain("The diagram as a list");
		expect(html).toMatch(/<th scope="row"><a href="\/tasks\/[^"]+">Review<\/a><\/th>/);
		expect(html).toContain("Process created");
		expect(html).toMatch(/Review assigned to Alice/);
		expect(html).toMatch(/hx-sse:connect="\/processes\/[^"]+\/events"/);
		expect(html).toMatch(
			/<div id="process-live" hx-get="\/processes\/[^"]+" hx-trigger="process-changed from:#process-stream delay:150ms" hx-swap="innerMorph"/,
		);
		expect(html).toMatch(/<form method="post" action="\/processes\/[^"]+\/stop"/);
	});

	it("marks a node run several times with a count, and the loop's latest pass", async () => {
		const role = `role-${++counter}`;
		const alice = await signedIn({ roles: [role], name: "alice" });
		const key = await publishLoop(role);
		const { processId, href } = await startAs(key, alice.user.id);
		const first = (await view(processId)).state.tasks[0]?.id as string;
		await alice.post(`/tasks/${encodeURIComponent(first)}/input`, {});
		await waitFor(
			processId,
			(v) => v.state.tasks.length === 2 && Boolean(v.state.tasks[1]?.assignee),
		);
		const html = await (await alice.get(href)).text();
		expect(html).toMatch(/<g class="count-badge"[^>]*><title>Ran 2 times<\/title>/);
		expect(html).toMatch(/data-node="review" data-status="waiting"/);
		expect(html).toMatch(/Review: values submitted<span class="timeline-actor"> by Alice<\/span>/);
	});

	it("answers 404 to a user who may not see the process, and for an unknown id", async () => {
		const role = `role-${++counter}`;
		await makeUser({ roles: [role] });
		const outsider = await signedIn({ roles: [`x-${counter}`], name: "outsider" });
		const key = await publishLoop(role);
		const { href } = await startAs(key, null);
		expect((await outsider.get(href)).status).toBe(404);
		expect((await outsider.get(`${href}/events`)).status).toBe(404);
		expect((await outsider.post(`${href}/stop`)).status).toBe(404);
		expect((await outsider.get("/processes/p-00000000000000000000000000000000")).status).toBe(404);
	});

	it("lets a holder of process.see_all on the workflow see it", async () => {
		const role = `role-${++counter}`;
		await makeUser({ roles: [role] });
		const auditor = await signedIn({ name: "auditor" });
		const key = await publishLoop(role);
		const { href } = await startAs(key, null);
		await grantPermission(env.DB, {
			subjectKind: "user",
			subjectId: auditor.user.id,
			permission: "process.see_all",
			scope: key,
			now: Date.now(),
		});
		expect((await auditor.get(href)).status).toBe(200);
	});

	it("answers htmx with the live part only", async () => {
		const role = `role-${++counter}`;
		const alice = await signedIn({ roles: [role], name: "alice" });
		const key = await publishLoop(role);
		const { href } = await startAs(key, alice.user.id);
		const res = await alice.get(href, {
			"HX-Request": "true",
			Accept: "text/html, text/event-stream",
		});
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html.startsWith('<p class="visually-hidden" role="status" id="process-news">')).toBe(
			true,
		);
		expect(html).not.toContain("<html");
		expect(html).not.toContain("hx-sse:connect");
	});

	it("escapes a process and workflow named like markup", async () => {
		const role = `role-${++counter}`;
		const alice = await signedIn({ roles: [role], name: "alice" });
		const key = await publishLoop(role, "<script>alert(1)</script>");
		const { href } = await startAs(key, alice.user.id, "<b onclick=x>name</b>");
		const html = await (await alice.get(href)).text();
		expect(html).not.toContain("<script>alert(1)");
		expect(html).not.toContain("<b onclick=x>");
		expect(html).toContain("&lt;b onclick=x&gt;name&lt;/b&gt;");
		expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
	});
});

describe("GET /processes/:id/events", () => {
	it("streams a notice from the ProcessObject after each change", async () => {
		const role = `role-${++counter}`;
		const alice = await signedIn({ roles: [role], name: "alice" });
		const key = await publishLoop(role);
		const { processId, href } = await startAs(key, alice.user.id);
		const revision = (await view(processId)).revision;
		const res = await alice.get(`${href}/events?since=${revision}`, { "HX-Request": "true" });
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Type")).toContain("text/event-stream");
		const reader = (res.body as ReadableStream<Uint8Array>).getReader();
		const read = reader.read();
		const first = new TextDecoder().decode((await read).value);
		expect(first).toContain("retry: 2000");
		const task = (await view(processId)).state.tasks[0]?.id as string;
		const next = reader.read();
		await alice.post(`/tasks/${encodeURIComponent(task)}/input`, { done: "true" });
		const text = new TextDecoder().decode((await next).value);
		expect(text).toMatch(/^id: \d+\nevent: process-changed\ndata: \d+\n\n/);
		await reader.cancel();
	});

	it("tells a page rendered at an older revision at once, and a finished process hangs up", async () => {
		const role = `role-${++counter}`;
		const alice = await signedIn({ roles: [role], name: "alice" });
		const key = await publishLoop(role);
		const { processId, href } = await startAs(key, alice.user.id);
		const task = (await view(processId)).state.tasks[0]?.id as string;
		await alice.post(`/tasks/${encodeURIComponent(task)}/input`, { done: "true" });
		await waitFor(processId, (v) => v.state.status === "SUCCESS");
		const res = await alice.get(`${href}/events?since=1`);
		const body = await res.text();
		expect(body).toMatch(/event: process-changed\ndata: \d+/);
		expect(body).toContain("event: process-finished");
	});
});

describe("POST /processes/:id/stop", () => {
	it("lets the starter stop the process (303), and answers htmx with the live part and a notice", async () => {
		const role = `role-${++counter}`;
		const alice = await signedIn({ roles: [role], name: "alice" });
		const key = await publishLoop(role);
		const { processId, href } = await startAs(key, alice.user.id);
		const res = await alice.post(`${href}/stop`);
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe(`${href}?notice=stopped`);
		expect((await view(processId)).state.status).toBe("REVOKED");
		const again = await alice.post(`${href}/stop`, {}, { "HX-Request": "true" });
		expect(again.status).toBe(200);
		const html = await again.text();
		expect(html).toContain("Stopped");
		expect(html).toContain("The process was stopped.");
		expect(html).not.toContain("Stop process");
		const page = await (await alice.get(`${href}?notice=stopped`)).text();
		expect(page).not.toContain("hx-sse:connect");
		expect(page).toContain("Process stopped");
	});

	it("refuses a role member who did not start it (403)", async () => {
		const role = `role-${++counter}`;
		const alice = await signedIn({ roles: [role], name: "alice" });
		const key = await publishLoop(role);
		const { processId, href } = await startAs(key, null);
		expect((await alice.get(href)).status).toBe(200);
		expect(await (await alice.get(href)).text()).not.toContain("Stop process");
		expect((await alice.post(`${href}/stop`)).status).toBe(403);
		expect((await processStub(env, processId).view())?.state.status).toBe("STARTED");
	});
});
