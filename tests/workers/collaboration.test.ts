// Working together through the pages: handing a task on (H2–H4), comments with mentions, files
// attached and downloaded, and who may do each (a task one may not see answers 404, for its files
// and comments too). The engine's rules themselves are tests/unit/engine/hand-over.test.ts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listAttachments } from "../../src/attachments/store.ts";
import { type MentionEvent, whenMentioned } from "../../src/comments/mentions.ts";
import { listComments } from "../../src/comments/store.ts";
import { grantPermission } from "../../src/db/people.ts";
import { processStub } from "../../src/durable/process-client.ts";
import { apiUser, call, json } from "./api-fixtures.ts";
import { type Browser, signedIn } from "./auth-fixtures.ts";
import { publish, start, waitFor, workflow } from "./process-fixtures.ts";

let counter = 0;

/** A process whose first task is an ask form of a new role, assigned to its first member. */
async function sharedTask() {
	counter += 1;
	const role = `collab-role-${counter}`;
	const key = `collab-${counter}`;
	const alice = await signedIn({ name: "alice", roles: [role] });
	const bob = await signedIn({ name: "bob", roles: [role] });
	await publish(
		workflow(
			key,
			[
				{
					key: "review",
					name: "Review the offer",
					role,
					task: "ask",
					start: true,
					params: { questions: { ok: { label: "Looks right", type: "checkbox" } } },
				},
				{ key: "done", name: "Done", task: "dummy", end: true },
			],
			[{ from: "review", to: "done" }],
		),
	);
	const { processId } = await start(key);
	const v = await waitFor(processId, (x) => typeof x.state.tasks[0]?.assignee === "string");
	const task = v.state.tasks[0];
	if (!task) throw new Error("no task");
	const href = `/tasks/${encodeURIComponent(task.id)}`;
	// T3 picks the earliest member: alice.
	expect(task.assignee).toBe(alice.userId);
	return { role, key, processId, taskId: task.id, href, alice, bob };
}

async function assigneeOf(processId: string, taskId: string) {
	const v = await processStub(env, processId).view();
	return v?.state.tasks.find((t) => t.id === taskId)?.assignee ?? null;
}

function fileForm(name: string, bytes: Uint8Array, type: string, body = ""): FormData {
	const form = new FormData();
	form.set("body", body);
	form.append("files", new File([bytes], name, { type }));
	return form;
}

describe("handing a task on", () => {
	it("H2 unclaim gives it back to the queue, H3 delegate hands it to a colleague, each in the history", async () => {
		const { processId, taskId, href, alice, bob } = await sharedTask();
		const page = await (await alice.get(href)).text();
		expect(page).toContain("Give back to the role");
		expect(page).toMatch(/<select id="delegate-to" name="to"[^>]*>[\s\S]*Bob/);

		const unclaimed = await alice.post(`${href}/unclaim`);
		expect(unclaimed.status).toBe(303);
		expect(await assigneeOf(processId, taskId)).toBeNull();

		await bob.post(`${href}/claim`);
		const delegated = await bob.post(`${href}/delegate`, {
			to: alice.userId,
			note: "You know this client",
		});
		expect(delegated.status).toBe(303);
		expect(await assigneeOf(processId, taskId)).toBe(alice.userId);

		const history = await processStub(env, processId).history();
		const handOvers = history.filter((e) => e.type === "TaskAssigned" && e.data?.handOver);
		expect(handOvers.map((e) => [e.data?.handOver, e.actor])).toEqual([
			["unclaim", alice.userId],
			["delegate", bob.userId],
		]);
		expect(handOvers[1]?.data).toMatchObject({ from: bob.userId, note: "You know this client" });
		const processPage = await (
			await alice.get(`/processes/${encodeURIComponent(processId)}`)
		).text();
		expect(processPage).toContain("You know this client");
	});

	it("refuses a delegate to someone outside the role (422), and answers 404 to someone who may not see the task", async () => {
		const { processId, taskId, href, alice } = await sharedTask();
		const outsider = await signedIn({ name: "oscar", roles: ["elsewhere"] });
		const refused = await alice.post(`${href}/delegate`, { to: outsider.userId });
		expect(refused.status).toBe(422);
		expect((await outsider.post(`${href}/unclaim`)).status).toBe(404);
		expect((await outsider.post(`${href}/delegate`, { to: outsider.userId })).status).toBe(404);
		expect(await assigneeOf(processId, taskId)).toBe(alice.userId);
	});

	it("H4 reassign needs an admin or the task.reassign grant on the workflow", async () => {
		const { key, processId, taskId, href, bob, role } = await sharedTask();
		const lead = await signedIn({ name: "lena", roles: [role] });
		expect((await lead.post(`${href}/reassign`, { to: bob.userId })).status).toBe(403);
		await grantPermission(env.DB, {
			subjectKind: "user",
			subjectId: lead.userId,
			permission: "task.reassign",
			scope: key,
			now: Date.now(),
		});
		expect(await (await lead.get(href)).text()).toContain("Reassign to");
		expect((await lead.post(`${href}/reassign`, { to: bob.userId })).status).toBe(303);
		expect(await assigneeOf(processId, taskId)).toBe(bob.userId);
		expect((await lead.post(`${href}/reassign`, { to: "" })).status).toBe(303);
		expect(await assigneeOf(processId, taskId)).toBeNull();
	});
});

describe("comments", () => {
	it("records the people mentioned, tells the listeners, and shows links and mentions safely", async () => {
		const { processId, taskId, href, alice, bob } = await sharedTask();
		const heard: MentionEvent[] = [];
		whenMentioned((_env, event) => {
			if (event.processId === processId) heard.push(event);
		});
		const handle = `@${bob.user.email.split("@")[0]}`;
		const text = `${handle} see https://example.com/offer?id=7 <script>alert(1)</script> javascript:alert(2)`;
		const form = new FormData();
		form.set("body", text);
		const res = await alice.upload(`${href}/comments`, form);
		expect(res.status).toBe(303);
		const [comment] = await listComments(env.DB, processId);
		expect(comment).toMatchObject({ taskId, authorId: alice.userId, mentions: [bob.userId] });
		expect(heard).toEqual([
			expect.objectContaining({
				commentId: comment?.id,
				userIds: [bob.userId],
				authorId: alice.userId,
			}),
		]);
		// NT1: Bob is told, through the notifications queue (docs/notifications.md).
		const key = `mentioned:${comment?.id}:${bob.userId}`;
		let notice: { text: string } | null = null;
		for (let i = 0; i < 200 && !notice; i++) {
			notice = await env.DB.prepare("SELECT text FROM notices WHERE key = ?")
				.bind(key)
				.first<{ text: string }>();
			if (!notice) await new Promise((r) => setTimeout(r, 25));
		}
		expect(notice?.text).toContain(`mentioned you: “${handle} see https://example.com/offer`);
		const html = await (await bob.get(href)).text();
		expect(html).toContain(`<span class="mention" title="Bob">${handle}</span>`);
		expect(html).toContain(
			'<a href="https://example.com/offer?id=7" rel="noopener noreferrer nofollow ugc">',
		);
		expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
		expect(html).not.toContain('href="javascript:');
		// The process timeline shows it too.
		const processPage = await (await bob.get(`/processes/${encodeURIComponent(processId)}`)).text();
		expect(processPage).toContain(`id="${comment?.id}"`);
	});

	it("lets only its author edit a comment, and only for ten minutes", async () => {
		const { processId, href, alice, bob } = await sharedTask();
		const form = new FormData();
		form.set("body", "First thoughts");
		await alice.upload(`${href}/comments`, form);
		const [comment] = await listComments(env.DB, processId);
		const path = `/comments/${comment?.id}`;
		expect((await bob.post(path, { body: "Not mine" })).status).toBe(403);
		expect((await alice.post(path, { body: "Second thoughts" })).status).toBe(303);
		expect((await listComments(env.DB, processId))[0]).toMatchObject({ body: "Second thoughts" });
		await env.DB.prepare("UPDATE comments SET created_at = ? WHERE id = ?")
			.bind(Date.now() - 11 * 60 * 1000, comment?.id as string)
			.run();
		expect((await alice.post(path, { body: "Too late" })).status).toBe(409);
		expect((await listComments(env.DB, processId))[0]).toMatchObject({ body: "Second thoughts" });
	});

	it("answers 404 to someone who may not see the task, and stores nothing", async () => {
		const { processId, href } = await sharedTask();
		const outsider = await signedIn({ name: "oscar", roles: ["elsewhere"] });
		const form = new FormData();
		form.set("body", "Let me in");
		expect((await outsider.upload(`${href}/comments`, form)).status).toBe(404);
		expect(await listComments(env.DB, processId)).toEqual([]);
	});
});

describe("files", () => {
	const pdf = new TextEncoder().encode("%PDF-1.4 offer");

	it("are stored in R2, listed on the process page and downloaded as an attachment", async () => {
		const { processId, href, alice, bob } = await sharedTask();
		const res = await alice.upload(
			`${href}/comments`,
			fileForm("Offer v2.pdf", pdf, "application/pdf", "The offer"),
		);
		expect(res.status).toBe(303);
		const [file] = await listAttachments(env.DB, processId);
		expect(file).toMatchObject({
			name: "Offer v2.pdf",
			contentType: "application/pdf",
			size: pdf.length,
		});
		const processPage = await (await bob.get(`/processes/${encodeURIComponent(processId)}`)).text();
		expect(processPage).toContain(`href="/attachments/${file?.id}"`);
		const download = await bob.get(`/attachments/${file?.id}`);
		expect(download.status).toBe(200);
		expect(download.headers.get("Content-Disposition")).toBe(
			`attachment; filename="Offer v2.pdf"; filename*=UTF-8''Offer%20v2.pdf`,
		);
		expect(download.headers.get("X-Content-Type-Options")).toBe("nosniff");
		expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);
	});

	it("cannot be downloaded by someone who may not see the task: 404, like a file that does not exist", async () => {
		const { processId, href, alice } = await sharedTask();
		await alice.upload(`${href}/comments`, fileForm("offer.pdf", pdf, "application/pdf"));
		const [file] = await listAttachments(env.DB, processId);
		const outsider: Browser = await signedIn({ name: "oscar", roles: ["elsewhere"] });
		expect((await outsider.get(`/attachments/${file?.id}`)).status).toBe(404);
		expect((await outsider.get(`/attachments/f-${"0".repeat(32)}`)).status).toBe(404);
	});

	it("refuses a file too large (413) or of a forbidden kind (415), keeps what was typed, and stores nothing", async () => {
		const { processId, href, alice } = await sharedTask();
		const big = new Uint8Array(10 * 1024 * 1024 + 1);
		const tooLarge = await alice.upload(
			`${href}/comments`,
			fileForm("scan.pdf", big, "application/pdf", "Big scan"),
		);
		expect(tooLarge.status).toBe(413);
		const page = await tooLarge.text();
		expect(page).toContain("files may be at most 10 MB");
		expect(page).toMatch(/<textarea id="comment-body"[^>]*>Big scan<\/textarea>/);
		const html = new TextEncoder().encode("<script>alert(1)</script>");
		const forbidden = await alice.upload(
			`${href}/comments`,
			fileForm("page.html", html, "text/html"),
		);
		expect(forbidden.status).toBe(415);
		expect(await forbidden.text()).toContain("is not a kind of file Baton keeps");
		expect(await listAttachments(env.DB, processId)).toEqual([]);
		expect(await listComments(env.DB, processId)).toEqual([]);
	});
});

describe("the API", () => {
	it("hands a task on, comments with a mention, lists and downloads files, and hides them from others", async () => {
		const { processId, taskId, role, alice, bob } = await sharedTask();
		const token = await apiUser({ roles: [role] });
		const path = `/api/v1/tasks/${encodeURIComponent(taskId)}`;
		// Alice holds the task: the token's user may delegate it while it is queued, not before.
		expect((await json(token, `${path}/delegate`, { body: { to: bob.userId } })).status).toBe(403);
		await alice.post(`/tasks/${encodeURIComponent(taskId)}/unclaim`);
		const delegated = await json(token, `${path}/delegate`, {
			body: { to: bob.userId, note: "yours" },
		});
		expect(delegated).toMatchObject({ status: 200, body: { taskId, assignee: bob.userId } });

		const handle = `@${alice.user.email.split("@")[0]}`;
		const posted = await json<{ id: string; mentions: string[] }>(token, `${path}/comments`, {
			body: { body: `${handle} over to Bob` },
		});
		expect(posted).toMatchObject({ status: 201, body: { mentions: [alice.userId] } });
		const listed = await json<{ items: { id: string; taskId: string }[] }>(
			token,
			`${path}/comments`,
		);
		expect(listed.body.items).toEqual([expect.objectContaining({ id: posted.body.id, taskId })]);
		const edited = await json(token, `/api/v1/comments/${posted.body.id}`, {
			method: "PATCH",
			body: { body: "over to Bob" },
		});
		expect(edited).toMatchObject({ status: 200, body: { body: "over to Bob", mentions: [] } });

		await alice.upload(
			`/tasks/${encodeURIComponent(taskId)}/comments`,
			fileForm("a.csv", new TextEncoder().encode("a,b"), "text/csv"),
		);
		const files = await json<{ items: { href: string }[] }>(
			token,
			`/api/v1/processes/${processId}/files`,
		);
		expect(files.body.items).toHaveLength(1);
		const href = files.body.items[0]?.href as string;
		const download = await call(token, href);
		expect(download.status).toBe(200);
		expect(download.headers.get("Content-Disposition")).toMatch(/^attachment; filename="a.csv"/);
		expect(await download.text()).toBe("a,b");

		const stranger = await apiUser({ roles: ["elsewhere"] });
		expect((await call(stranger, href)).status).toBe(404);
		expect((await json(stranger, `${path}/comments`)).status).toBe(404);
		expect((await json(stranger, `${path}/comments`, { body: { body: "hi" } })).status).toBe(404);
		// A key the API does not know is refused, not ignored.
		const extra = await json(token, `${path}/comments`, { body: { body: "hi", pinned: true } });
		expect(extra.status).toBe(422);
		expect((await json(stranger, `/api/v1/processes/${processId}/files`)).status).toBe(404);
		const readOnly = await apiUser({ roles: [role], scopes: ["read"] });
		expect((await json(readOnly, `${path}/comments`, { body: { body: "hi" } })).status).toBe(403);
	});
});

describe("richer fields on a task's form", () => {
	async function richTask() {
		counter += 1;
		const role = `rich-role-${counter}`;
		const key = `rich-${counter}`;
		const alice = await signedIn({ name: "alice", roles: [role] });
		await publish(
			workflow(
				key,
				[
					{
						key: "order",
						name: "Order the badges",
						role,
						task: "ask",
						start: true,
						params: {
							questions: {
								sizes: {
									label: "Sizes",
									type: "multiselect",
									options: ["S", "M", "L"],
									required: true,
								},
								contact: { label: "Contact", type: "email", required: true },
								budget: { label: "Budget", type: "money", currency: "EUR" },
								rush: { label: "Rush order", type: "checkbox" },
								reason: { label: "Why the rush", required: true, showIf: { field: "rush" } },
								artwork: { label: "Artwork", type: "file", required: true },
							},
						},
					},
					{ key: "done", name: "Done", task: "dummy", end: true },
				],
				[{ from: "order", to: "done" }],
			),
		);
		const { processId } = await start(key);
		const v = await waitFor(processId, (x) => typeof x.state.tasks[0]?.assignee === "string");
		const taskId = v.state.tasks[0]?.id as string;
		return { processId, taskId, href: `/tasks/${encodeURIComponent(taskId)}`, alice };
	}

	it("draws each kind of control, the form as multipart, and hides the conditional field by CSS", async () => {
		const { href, alice } = await richTask();
		const html = await (await alice.get(href)).text();
		expect(html).toMatch(/<form id="task-form"[^>]*enctype="multipart\/form-data"/);
		expect(html).toMatch(/<fieldset class="field field-choices"[\s\S]*<legend>Sizes/);
		expect(html).toMatch(/<input id="field-sizes" name="sizes" type="checkbox" value="S"/);
		expect(html).toMatch(/<input id="field-contact" name="contact"[^>]*type="email"/);
		expect(html).toMatch(/<input id="field-budget" name="budget"[^>]*step="0.01"[\s\S]*?EUR/);
		expect(html).toMatch(/<input id="field-artwork" name="artwork"[^>]*type="file"/);
		expect(html).toContain("Only when “Rush order” is ticked; then required.");
		expect(html).toContain(
			"#task-form:not(:has(#field-rush:checked)) #cond-field-reason{display:none}",
		);
	});

	it("stores the uploaded file as the field's value; a bad value is refused with nothing stored", async () => {
		const { processId, taskId, href, alice } = await richTask();
		const form = (email: string) => {
			const f = new FormData();
			f.append("sizes", "S");
			f.append("sizes", "L");
			f.set("contact", email);
			f.set("budget", "120.50");
			f.set("_nonce", crypto.randomUUID());
			f.append(
				"artwork",
				new File([new TextEncoder().encode("%PDF-1.4")], "badge.pdf", { type: "application/pdf" }),
			);
			return f;
		};
		const refused = await alice.upload(`${href}/input`, form("not an email"));
		expect(refused.status).toBe(422);
		expect(await refused.text()).toContain("Enter an email address for “Contact”");
		expect(await listAttachments(env.DB, processId)).toEqual([]);

		const sent = await alice.upload(`${href}/input`, form("ada@example.com"));
		expect(sent.status).toBe(303);
		const [file] = await listAttachments(env.DB, processId);
		expect(file).toMatchObject({ taskId, field: "artwork", name: "badge.pdf", commentId: null });
		const v = await processStub(env, processId).view();
		expect(v?.state.tasks[0]?.result).toEqual({
			sizes: ["S", "L"],
			contact: "ada@example.com",
			budget: 120.5,
			rush: false,
			artwork: { id: file?.id, name: "badge.pdf", size: 8 },
		});
		const page = await (await alice.get(href)).text();
		expect(page).toContain(`<a href="/attachments/${file?.id}" download="badge.pdf">badge.pdf</a>`);
	});
});

describe("the process page's rough edges", () => {
	it("says No results for a process whose end returned nothing, and shows no full bar beside Stuck", async () => {
		counter += 1;
		const admin = await signedIn({ name: "ada", isAdmin: true });
		const plain = `plain-${counter}`;
		await publish(
			workflow(
				plain,
				[
					{ key: "a", task: "dummy", start: true },
					{ key: "b", task: "dummy", end: true },
				],
				[{ from: "a", to: "b" }],
			),
		);
		const done = await start(plain);
		await waitFor(done.processId, (v) => v.state.status === "SUCCESS");
		const page = await (await admin.get(`/processes/${done.processId}`)).text();
		expect(page).toContain("No results.");
		expect(page).not.toContain('<pre class="json">null</pre>');

		const stuckKey = `stuck-${counter}`;
		await publish(
			workflow(
				stuckKey,
				[
					{ key: "a", task: "dummy", start: true },
					{ key: "b", task: "dummy", end: true },
				],
				[{ from: "a", to: "b", condition: "never" }],
			),
		);
		const stuck = await start(stuckKey);
		await waitFor(stuck.processId, (v) => v.stuck);
		const stuckPage = await (await admin.get(`/processes/${stuck.processId}`)).text();
		expect(stuckPage).toContain("This process is stuck");
		expect(stuckPage).not.toContain('aria-label="Progress of the process"');
	});
});
