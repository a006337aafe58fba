// The task page and its form: GET /tasks/:id, POST /tasks/:id/input (plain and htmx), claim, and
// the admin acts; who sees what (404), validation (422 with the typed values kept), idempotent
// submits, escaping.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { processStub } from "../../src/durable/process-client.ts";
import type { ProcessView } from "../../src/durable/process-object.ts";
import { postForm, send, signedIn } from "./auth-fixtures.ts";
import { publish, start, view, waitFor, workflow } from "./process-fixtures.ts";

let counter = 0;

/** A workflow with one ask form for `role` and then a job; returns the started process. */
async function askProcess(role: string, nodeName = "Describe the venue") {
	counter += 1;
	const key = `tasks-${counter}`;
	await publish(
		workflow(
			key,
			[
				{
					key: "venue",
					name: nodeName,
					description: "Where will it happen?",
					role,
					task: "ask",
					start: true,
					params: {
						questions: {
							venue: { label: "Venue", required: true },
							capacity: { label: "Capacity", type: "integer", min: 1, max: 5000, required: true },
							day: { label: "First day", type: "date" },
							notes: { label: "Notes", type: "longtext", help: "Anything the team should know." },
							catering: { label: "Catering", type: "select", options: ["none", "lunch", "full"] },
							parking: { label: "Parking available", type: "checkbox" },
						},
					},
				},
				{ key: "done", name: "Done", task: "dummy", end: true },
			],
			[{ from: "venue", to: "done" }],
		),
	);
	const { processId } = await start(key);
	const v = await waitFor(
		processId,
		(x) => x.state.tasks[0]?.assignee !== undefined && x.state.tasks[0]?.assignee !== null,
	);
	const taskId = v.state.tasks[0]?.id as string;
	return { processId, taskId, href: `/tasks/${encodeURIComponent(taskId)}` };
}

const roleName = () => `role-${++counter}`;

describe("GET /tasks/:id", () => {
	it("shows what the task is, why it waits, and a labelled form with the right controls", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const { href } = await askProcess(role);
		const res = await alice.get(href);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain("<h1>Describe the venue</h1>");
		expect(html).toContain("Where will it happen?");
		expect(html).toMatch(/Why it waits[\s\S]*<strong>Venue<\/strong>, <strong>Capacity<\/strong>/);
		expect(html).toMatch(
			/<form id="task-form"[^>]*method="post"[^>]*action="[^"]+\/input"[^>]*novalidate/,
		);
		expect(html).toMatch(/hx-post="[^"]+\/input"/);
		expect(html).toMatch(/<label for="field-venue">Venue/);
		expect(html).toMatch(
			/<input id="field-venue" name="venue"[^>]*aria-required="true"[^>]*type="text"/,
		);
		expect(html).toMatch(
			/<input id="field-capacity" name="capacity"[^>]*type="number"[^>]*step="1" min="1" max="5000"/,
		);
		expect(html).toMatch(/<input id="field-day" name="day"[^>]*type="date"/);
		expect(html).toMatch(
			/<textarea id="field-notes" name="notes" aria-describedby="field-notes-help"/,
		);
		expect(html).toContain(
			'<p id="field-notes-help" class="field-help">Anything the team should know.</p>',
		);
		expect(html).toMatch(
			/<select id="field-catering" name="catering"><option value="">Choose…<\/option><option value="none">none/,
		);
		expect(html).toMatch(/<input id="field-parking" name="parking" type="checkbox" value="true"/);
		expect(html).toMatch(/name="_csrf" value="[^"]+"/);
		expect(html).toMatch(/name="_nonce" value="[A-Za-z0-9_-]{8,}"/);
		expect(res.headers.get("Cache-Control")).toBe("no-store");
	});

	it("answers 404 to someone outside the task's role, and for a task that does not exist", async () => {
		const role = roleName();
		await signedIn({ roles: [role] });
		const outsider = await signedIn({ roles: [roleName()] });
		const { href, processId } = await askProcess(role);
		const res = await outsider.get(href);
		expect(res.status).toBe(404);
		expect(await res.text()).toContain("Not found");
		expect((await outsider.get(`/tasks/${encodeURIComponent(`${processId}/t99`)}`)).status).toBe(
			404,
		);
		expect((await outsider.get("/tasks/nothing-like-a-task")).status).toBe(404);
		expect(
			(await outsider.get(`/tasks/${encodeURIComponent('p-x/t1" onmouseover="')}`)).status,
		).toBe(404);
	});

	it("offers a colleague in the role a claim button instead of the form", async () => {
		const role = roleName();
		await signedIn({ roles: [role] });
		const bob = await signedIn({ roles: [role], name: "bob" });
		const { href } = await askProcess(role);
		const html = await (await bob.get(href)).text();
		expect(html).not.toContain('id="task-form"');
		expect(html).toMatch(/has this task\. Claim it to fill it in yourself\./);
		expect(html).toMatch(/<form method="post" action="[^"]+\/claim"/);
	});

	it("shows user-provided names as text, never as markup", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const { href } = await askProcess(role, "<script>alert('x')</script> & co");
		const html = await (await alice.get(href)).text();
		expect(html).not.toContain("<script>alert");
		expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co");
	});

	it("sends anonymous visitors to the sign-in page and back", async () => {
		const res = await send("/tasks/p-abc%2Ft1");
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe(
			`/sign-in?next=${encodeURIComponent("/tasks/p-abc%2Ft1")}`,
		);
	});
});

describe("POST /tasks/:id/input", () => {
	it("re-renders the page with each error next to its field and what was typed kept (no JavaScript)", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const { href, processId } = await askProcess(role);
		const page = await (await alice.get(href)).text();
		const nonce = /name="_nonce" value="([^"]+)"/.exec(page)?.[1] as string;
		const res = await alice.post(`${href}/input`, {
			_nonce: nonce,
			venue: "Town <b>hall</b>",
			capacity: "0",
			notes: "Line one\r\nLine two",
			catering: "lunch",
			parking: "true",
		});
		expect(res.status).toBe(422);
		const html = await res.text();
		expect(html).toContain("<title>Error: Describe the venue · Baton</title>");
		expect(html).toMatch(/<div class="error-summary" id="form-errors" role="alert"/);
		expect(html).toContain('<a href="#field-capacity">“Capacity” must be between 1 and 5000.</a>');
		expect(html).toMatch(
			/<p id="field-capacity-error" class="field-error"><span class="visually-hidden">Error: <\/span>“Capacity” must be between 1 and 5000\.<\/p>/,
		);
		expect(html).toMatch(
			/<input id="field-capacity" name="capacity" aria-invalid="true" aria-describedby="field-capacity-error"[^>]*value="0"/,
		);
		expect(html).toMatch(/<input id="field-venue"[^>]*value="Town &lt;b&gt;hall&lt;\/b&gt;"/);
		expect(html).toContain(">Line one\nLine two</textarea>");
		expect(html).toMatch(/<option value="lunch" selected="">lunch<\/option>/);
		expect(html).toMatch(/<input id="field-parking"[^>]*checked=""/);
		// A fresh nonce: the rejected one is remembered with its answer.
		expect(html).not.toContain(`value="${nonce}"`);
		const v = await view(processId);
		expect(v.state.tasks[0]).toMatchObject({ status: "PENDING", awaitingInput: true });
	});

	it("answers htmx with the form alone (422), so it swaps in place", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const { href } = await askProcess(role);
		const res = await alice.post(`${href}/input`, { capacity: "12" }, { "HX-Request": "true" });
		expect(res.status).toBe(422);
		const html = await res.text();
		expect(html.startsWith('<form id="task-form"')).toBe(true);
		expect(html).not.toContain("<html");
		expect(html).toContain("Enter a value for “Venue”.");
		expect(html).toMatch(/id="field-capacity"[^>]*value="12"/);
	});

	it("submits, records who did it, and lands on the inbox when nothing else waits (303)", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const { href, processId, taskId } = await askProcess(role);
		const res = await alice.post(`${href}/input`, {
			_nonce: "nonce-0001",
			venue: "Town hall",
			capacity: "120",
			day: "2027-03-14",
			parking: "true",
		});
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/inbox?notice=submitted");
		const v = await waitFor(processId, (x) => x.state.status === "SUCCESS");
		expect(v.state.tasks[0]).toMatchObject({
			id: taskId,
			status: "SUCCESS",
			submittedBy: alice.user.id,
			result: { venue: "Town hall", capacity: 120, day: "2027-03-14", parking: true },
		});
		const history = await processStub(env, processId).history();
		const submitted = history.filter((e) => e.type === "ValuesSubmitted");
		expect(submitted).toHaveLength(1);
		expect(submitted[0]?.actor).toBe(alice.user.id);
	});

	it("applies a double submit of one form once", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const { href, processId } = await askProcess(role);
		const fields = { _nonce: "same-nonce-42", venue: "Hall", capacity: "10" };
		const [a, b] = await Promise.all([
			alice.post(`${href}/input`, fields),
			alice.post(`${href}/input`, fields),
		]);
		expect([a.status, b.status]).toEqual([303, 303]);
		const again = await alice.post(`${href}/input`, fields);
		expect(again.status).toBe(303);
		const history = await processStub(env, processId).history();
		expect(history.filter((e) => e.type === "ValuesSubmitted")).toHaveLength(1);
	});

	it("tells htmx where to go next with HX-Redirect, to the next task waiting for this person", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const first = await askProcess(role);
		const second = await askProcess(role);
		await waitForIndex(second.taskId);
		const res = await alice.post(
			`${first.href}/input`,
			{ venue: "Hall", capacity: "10" },
			{ "HX-Request": "true" },
		);
		expect(res.status).toBe(204);
		expect(res.headers.get("HX-Redirect")).toBe(`${second.href}?notice=submitted`);
	});

	it("lands on the next task of the same process that the submit created, before the index shows it", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const key = `two-forms-${role}`;
		const form = (label: string) => ({
			task: "ask",
			role,
			params: { questions: { note: { label, required: true } } },
		});
		await publish(
			workflow(
				key,
				[
					{ key: "first", ...form("First"), start: true },
					{ key: "second", ...form("Second"), end: true },
				],
				[{ from: "first", to: "second" }],
				{ roles: [{ key: role, name: role }] },
			),
		);
		const { processId } = await start(key);
		const first = await waitFor(processId, (v) => v.state.tasks[0]?.awaitingInput === true);
		const firstId = first.state.tasks[0]?.id as string;
		const res = await alice.post(`/tasks/${encodeURIComponent(firstId)}/input`, { note: "done" });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe(
			`/tasks/${encodeURIComponent(`${processId}/t2`)}?notice=submitted`,
		);
	});

	it("refuses a submit without the CSRF token (403) and changes nothing", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const { href, processId } = await askProcess(role);
		const res = await postForm(
			`${href}/input`,
			{ venue: "Hall", capacity: "10" },
			{ Cookie: alice.cookie },
		);
		expect(res.status).toBe(403);
		expect((await view(processId)).state.tasks[0]?.status).toBe("PENDING");
	});

	it("T4 answers a second submit of a done task with 409 and a clear page that keeps what was typed", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const { href, processId } = await askProcess(role);
		await alice.post(`${href}/input`, { venue: "Hall", capacity: "10" });
		await waitFor(processId, (x) => x.state.status === "SUCCESS");
		const res = await alice.post(`${href}/input`, { venue: "Other", capacity: "11" });
		expect(res.status).toBe(409);
		const html = await res.text();
		expect(html).toContain("You already submitted this task.");
		expect(html).toContain("Other");
		const htmx = await alice.post(
			`${href}/input`,
			{ venue: "Other", capacity: "11" },
			{ "HX-Request": "true" },
		);
		expect(htmx.status).toBe(409);
		// With htmx the notice takes the form's place, with what was typed.
		const fragment = await htmx.text();
		expect(fragment.startsWith('<div id="task-form"')).toBe(true);
		expect(fragment).toContain("You already submitted this task.");
		const page = await (await alice.get(href)).text();
		expect(page).not.toContain('id="task-form"');
		expect(page).toMatch(/Submitted by [^<]+, <time/);
	});

	it("refuses a colleague who has not claimed the task (403), as the engine decides (T4)", async () => {
		const role = roleName();
		await signedIn({ roles: [role] });
		const bob = await signedIn({ roles: [role], name: "bob" });
		const { href, processId } = await askProcess(role);
		const res = await bob.post(`${href}/input`, { venue: "Hall", capacity: "10" });
		expect(res.status).toBe(403);
		expect(await res.text()).toMatch(/claimed this task while you were filling it in/);
		expect((await view(processId)).state.tasks[0]?.status).toBe("PENDING");
	});
});

describe("POST /tasks/:id/claim", () => {
	it("gives the task to the colleague who claims it and opens it for them", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const bob = await signedIn({ roles: [role], name: "bob" });
		const { href, processId } = await askProcess(role);
		expect((await view(processId)).state.tasks[0]?.assignee).toBe(alice.user.id);
		const res = await bob.post(`${href}/claim`);
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe(`${href}?notice=claimed`);
		expect((await view(processId)).state.tasks[0]?.assignee).toBe(bob.user.id);
		const processPage = await (await bob.get(`/processes/${encodeURIComponent(processId)}`)).text();
		expect(processPage).toMatch(
			/Describe the venue claimed<span class="timeline-actor"> by Bob<\/span>/,
		);
		const page = await (await bob.get(`${href}?notice=claimed`)).text();
		expect(page).toContain("The task is yours now.");
		expect(page).toContain('id="task-form"');
	});

	it("answers 404 to someone outside the role", async () => {
		const role = roleName();
		await signedIn({ roles: [role] });
		const outsider = await signedIn({ roles: [roleName()] });
		const { href } = await askProcess(role);
		expect((await outsider.post(`${href}/claim`)).status).toBe(404);
	});
});

describe("admin acts on tasks", () => {
	it("lets an admin revoke an active task, and nobody else", async () => {
		const role = roleName();
		const alice = await signedIn({ roles: [role] });
		const admin = await signedIn({ isAdmin: true, name: "ada" });
		const { href, processId } = await askProcess(role);
		expect((await alice.post(`${href}/revoke`)).status).toBe(403);
		const res = await admin.post(`${href}/revoke`, {
			back: `/processes/${encodeURIComponent(processId)}`,
		});
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe(
			`/processes/${encodeURIComponent(processId)}?notice=revoked`,
		);
		const v: ProcessView = await view(processId);
		expect(v.state.tasks[0]?.status).toBe("REVOKED");
	});

	it("answers htmx from the process page with the page's live part and a notice", async () => {
		const role = roleName();
		await signedIn({ roles: [role] });
		const admin = await signedIn({ isAdmin: true, name: "ada" });
		const { href, processId } = await askProcess(role);
		const back = `/processes/${encodeURIComponent(processId)}`;
		const res = await admin.post(`${href}/revoke`, { back }, { "HX-Request": "true" });
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain('id="process-news"');
		expect(html).toMatch(
			/<hx-partial hx-target="#flash" hx-swap="innerHTML"><div class="alert alert-success" role="status">The task was revoked\./,
		);
	});
});

async function waitForIndex(taskId: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const row = await env.DB.prepare("SELECT assignee FROM tasks WHERE id = ?")
			.bind(taskId)
			.first<{ assignee: string | null }>();
		if (row?.assignee) return;
		if (Date.now() > deadline) throw new Error(`task ${taskId} not indexed`);
		await new Promise((r) => setTimeout(r, 25));
	}
}
