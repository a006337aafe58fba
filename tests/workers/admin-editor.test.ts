// The workflow editor through its routes, as a browser drives it: a workflow built form by form is
// published and runs; a draft with mistakes is refused with every mistake shown; a new version
// leaves running processes on theirs (G9, D3); JSON export and import round-trip.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDraft, listVersions } from "../../src/db/workflows.ts";
import { runCommand } from "../../src/durable/process-client.ts";
import type { WorkflowDefinition } from "../../src/engine/index.ts";
import { type Browser, edit, HTMX, revisionOf, signedIn, textOf } from "./admin-fixtures.ts";
import { expectIndexMatches, start, trace, view, waitFor } from "./process-fixtures.ts";

async function newWorkflow(admin: Browser, key: string, name = key) {
	const res = await admin.post("/admin/workflows", { key, name });
	expect(res.status).toBe(303);
	expect(res.headers.get("Location")).toBe(`/admin/workflows/${key}/draft?notice=created`);
}

async function addNode(admin: Browser, key: string, fields: Record<string, string>) {
	return edit(admin, key, "/nodes", { task: "dummy", ...fields });
}

async function addTransition(admin: Browser, key: string, fields: Record<string, string>) {
	return edit(admin, key, "/transitions", fields);
}

const adminActor = (id: string) => ({ id, roles: [], isAdmin: true });

describe("workflow editor", () => {
	it("builds a workflow through the editor's routes, publishes it, and a process of it runs", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "sums", "Sums");
		await edit(admin, "sums", "/settings", {
			name: "Sums",
			description: "Adds two numbers, then goes where the result says",
			params: '{"region": "EU"}',
			roles: "",
			priority: "4",
			stepBudget: "50",
		});
		await addNode(admin, "sums", {
			key: "sum",
			name: "Add them",
			task: "add",
			params_type: "add",
			"param.a": "2",
			"param.b": "2",
			start: "true",
			split: "xor",
			inline: "on",
		});
		await addNode(admin, "sums", { key: "four", name: "It is four", end: "true" });
		await addNode(admin, "sums", { key: "other", name: "Something else", end: "true" });
		await addTransition(admin, "sums", { from: "sum", to: "four", condition: "4" });
		// With htmx, an edit answers the whole editor: forms, report and diagram redrawn.
		const res = await admin.post(
			"/admin/workflows/sums/draft/transitions",
			{ revision: await revisionOf("sums"), from: "sum", to: "other", condition: "= result != 4" },
			HTMX,
		);
		expect(res.status).toBe(200);
		const fragment = await res.text();
		expect(fragment).toContain('id="editor"');
		expect(fragment).not.toContain("<html");
		expect(fragment).toContain("The draft can be published.");
		expect(fragment).toContain('data-node="other"');

		const draft = await getDraft(env.DB, "sums");
		expect(draft?.definition).toEqual({
			key: "sums",
			name: "Sums",
			description: "Adds two numbers, then goes where the result says",
			params: { region: "EU" },
			priority: 4,
			stepBudget: 50,
			nodes: [
				{
					key: "sum",
					name: "Add them",
					task: "add",
					start: true,
					split: "xor",
					inline: true,
					params: { a: 2, b: 2 },
				},
				{ key: "four", name: "It is four", task: "dummy", end: true },
				{ key: "other", name: "Something else", task: "dummy", end: true },
			],
			transitions: [
				{ from: "sum", to: "four", condition: "4" },
				{ from: "sum", to: "other", condition: "= result != 4" },
			],
		} satisfies WorkflowDefinition);

		const published = await edit(admin, "sums", "/publish", {});
		expect(published.headers.get("Location")).toBe(
			"/admin/workflows/sums?published=1&notice=published",
		);
		expect(await getDraft(env.DB, "sums")).toBeNull();
		expect((await listVersions(env.DB, "sums")).map((v) => v.version)).toEqual([1]);

		const { processId, version } = await start("sums");
		expect(version).toBe(1);
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		expect(trace(done)).toEqual(["sum", "four"]);
		expect(done.state.tasks[0]?.result).toBe(4);
		await expectIndexMatches(processId);

		const page = await admin.get("/admin/workflows/sums");
		expect(page.status).toBe(200);
		expect(textOf(await page.text())).toContain("Version 1");
	});

	it("renames a node and its transitions follow; edits a transition, moves and deletes it", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "rename-me");
		await addNode(admin, "rename-me", { key: "a", start: "true" });
		await addNode(admin, "rename-me", { key: "b", end: "true" });
		await addNode(admin, "rename-me", { key: "c", end: "true" });
		await addTransition(admin, "rename-me", { from: "a", to: "b" });
		await addTransition(admin, "rename-me", { from: "a", to: "c", condition: "x" });
		await edit(admin, "rename-me", "/nodes/a", {
			key: "first",
			task: "dummy",
			start: "true",
			params_type: "dummy",
		});
		await edit(admin, "rename-me", "/transitions/1", {
			from: "first",
			to: "c",
			condition: "y",
			on: "failure",
		});
		await edit(admin, "rename-me", "/transitions/1/move", { by: "-1" });
		let def = (await getDraft(env.DB, "rename-me"))?.definition;
		expect(def?.nodes.map((n) => n.key)).toEqual(["first", "b", "c"]);
		expect(def?.transitions).toEqual([
			{ from: "first", to: "c", condition: "y", on: "failure" },
			{ from: "first", to: "b" },
		]);
		await edit(admin, "rename-me", "/nodes/c/delete", {});
		def = (await getDraft(env.DB, "rename-me"))?.definition;
		expect(def?.nodes.map((n) => n.key)).toEqual(["first", "b"]);
		expect(def?.transitions).toEqual([{ from: "first", to: "b" }]);
		await edit(admin, "rename-me", "/transitions/0/delete", {});
		expect((await getDraft(env.DB, "rename-me"))?.definition.transitions).toEqual([]);
	});

	it("keeps the values typed in a form that needs correcting, and answers 422", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "typos");
		const res = await admin.post(
			"/admin/workflows/typos/draft/nodes",
			{
				revision: await revisionOf("typos"),
				key: "9 lives",
				name: "A cat",
				task: "add",
				params_type: "add",
				"param.a": "two",
			},
			HTMX,
		);
		expect(res.status).toBe(422);
		const html = await res.text();
		expect(html).toContain('id="editor"');
		expect(html).toContain('value="9 lives"');
		expect(html).toContain('value="two"');
		expect(textOf(html)).toContain("A key is a letter");
		expect(textOf(html)).toContain("First number: write a number.");
		expect((await getDraft(env.DB, "typos"))?.definition.nodes).toEqual([]);
	});

	it("swaps the params fields when the task type changes, keeping the values by name", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "retype");
		const query = new URLSearchParams({
			task: "http",
			params_type: "question",
			"param.title": "Ready?",
			"param.description": "",
			params_extra: '{"url": "https://example.com/x"}',
		});
		const res = await admin.get(`/admin/workflows/retype/draft/params-fields?${query}`, {
			...HTMX,
			"HX-Target": "fieldset#node-2-params",
		});
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain('id="node-2-params"');
		expect(html).toContain("Params (http)");
		expect(html).toContain('name="params_type" value="http"');
		expect(html).toMatch(/id="node-2-param-url"[^>]*value="https:\/\/example.com\/x"/);
		// "title" is not an http param: it moves to the other params, not lost.
		expect(textOf(html)).toContain('"title": "Ready?"');
	});

	it("refuses a change made on a stale page (another admin saved meanwhile) with 409, applying nothing", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "two-tabs");
		const stale = await revisionOf("two-tabs");
		await addNode(admin, "two-tabs", { key: "a", start: "true" });
		const res = await admin.post("/admin/workflows/two-tabs/draft/nodes", {
			revision: stale,
			key: "b",
			task: "dummy",
		});
		expect(res.status).toBe(409);
		expect(textOf(await res.text())).toContain("The draft was changed meanwhile");
		expect((await getDraft(env.DB, "two-tabs"))?.definition.nodes.map((n) => n.key)).toEqual(["a"]);
	});

	it("D2 a draft with mistakes cannot be published, and every mistake is shown", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "mistakes");
		await edit(admin, "mistakes", "/settings", { name: "Mistakes", roles: "staff: Staff" });
		await addNode(admin, "mistakes", { key: "a", task: "teleport" });
		await addNode(admin, "mistakes", { key: "b", role: "ghosts", end: "true" });
		await addNode(admin, "mistakes", {
			key: "c",
			task: "add",
			params_type: "add",
			params_extra: '{"a": "not a number"}',
		});
		await addTransition(admin, "mistakes", { from: "a", to: "b", condition: "= (1 +" });
		await addTransition(admin, "mistakes", { from: "b", to: "nowhere" });

		const res = await admin.post("/admin/workflows/mistakes/draft/publish", {
			revision: await revisionOf("mistakes"),
		});
		expect(res.status).toBe(422);
		const text = textOf(await res.text());
		expect(text).toContain("It cannot be published yet");
		for (const message of [
			"no node is a start node: tick “Start node” on the first step",
			'unknown task type "teleport"',
			'role "ghosts" is not one of this workflow’s roles',
			"add: Invalid input: expected number, received string",
			'no node has the key "nowhere"',
		]) {
			expect(text).toContain(message);
		}
		expect(text).toMatch(/Transition 1 \(a → b\), condition: .+/);
		expect(await listVersions(env.DB, "mistakes")).toEqual([]);
		expect(await getDraft(env.DB, "mistakes")).not.toBeNull();
	});

	it("G9/D3 editing a published workflow makes a new version; a running process stays on its own", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "pinned", "Pinned");
		await addNode(admin, "pinned", {
			key: "ask",
			task: "question",
			params_type: "question",
			"param.title": "Go on?",
			start: "true",
		});
		await addNode(admin, "pinned", { key: "done", end: "true" });
		await addTransition(admin, "pinned", { from: "ask", to: "done" });
		await edit(admin, "pinned", "/publish", {});
		const first = await start("pinned");
		expect(first.version).toBe(1);
		await waitFor(first.processId, (v) => v.state.tasks[0]?.awaitingInput === true);

		const editing = await admin.post("/admin/workflows/pinned/versions/1/edit");
		expect(editing.status).toBe(303);
		expect((await getDraft(env.DB, "pinned"))?.basedOn).toBe(1);
		await addNode(admin, "pinned", { key: "audit", name: "Audit", end: "true" });
		await edit(admin, "pinned", "/nodes/done", {
			key: "done",
			task: "dummy",
			params_type: "dummy",
		});
		await edit(admin, "pinned", "/transitions/0", { from: "ask", to: "audit" });
		await addTransition(admin, "pinned", { from: "audit", to: "done" });
		await edit(admin, "pinned", "/nodes/audit", {
			key: "audit",
			name: "Audit",
			task: "dummy",
			params_type: "dummy",
		});
		await edit(admin, "pinned", "/nodes/done", {
			key: "done",
			task: "dummy",
			end: "true",
			params_type: "dummy",
		});
		const diff = await admin.get("/admin/workflows/pinned/diff?from=1&to=draft");
		const diffText = textOf(await diff.text());
		expect(diffText).toContain("added Audit audit");
		expect(diffText).toContain("removed ask → done");
		expect(diffText).toContain("added ask → audit");
		await edit(admin, "pinned", "/publish", {});
		expect((await listVersions(env.DB, "pinned")).map((v) => v.version)).toEqual([2, 1]);

		const second = await start("pinned");
		expect(second.version).toBe(2);
		for (const { processId } of [first, second]) {
			const task = (await waitFor(processId, (v) => v.state.tasks[0]?.awaitingInput === true)).state
				.tasks[0]!;
			await runCommand(env, processId, {
				type: "SubmitValues",
				taskId: task.id,
				values: { answer: "yes" },
				actor: adminActor(admin.userId),
			});
		}
		const old = await waitFor(first.processId, (v) => v.state.status === "SUCCESS");
		const fresh = await waitFor(second.processId, (v) => v.state.status === "SUCCESS");
		expect(old.state.workflow.version).toBe(1);
		expect(trace(old)).toEqual(["ask", "done"]);
		expect(fresh.state.workflow.version).toBe(2);
		expect(trace(fresh)).toEqual(["ask", "audit", "done"]);
		await expectIndexMatches(first.processId);
		await expectIndexMatches(second.processId);
		expect((await view(first.processId)).definition.version).toBe(1);
	});

	it("JSON export of a version imports back as the same definition", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "round-trip", "Round trip");
		await edit(admin, "round-trip", "/settings", {
			name: "Round trip",
			params: '{"limit": 3}',
			roles: "staff",
		});
		await addNode(admin, "round-trip", {
			key: "call",
			task: "http",
			params_type: "http",
			"param.method": "POST",
			"param.url": "https://example.com/hook",
			"param.headers": '{"X-Team": "ops"}',
			start: "true",
		});
		await addNode(admin, "round-trip", {
			key: "review",
			task: "ask",
			role: "staff",
			params_extra: "",
			params_type: "ask",
			"param.questions": '{"ok": {"label": "OK?", "type": "checkbox"}}',
		});
		await addNode(admin, "round-trip", { key: "end", end: "true", join: "or" });
		await addTransition(admin, "round-trip", { from: "call", to: "review" });
		await addTransition(admin, "round-trip", { from: "call", to: "end", on: "failure" });
		await addTransition(admin, "round-trip", {
			from: "review",
			to: "end",
			condition: "= result.ok",
		});
		await edit(admin, "round-trip", "/publish", {});

		const exported = await admin.get("/admin/workflows/round-trip/versions/1/export.json");
		expect(exported.status).toBe(200);
		expect(exported.headers.get("Content-Disposition")).toBe(
			'attachment; filename="round-trip-v1.json"',
		);
		const json = await exported.text();
		const original = JSON.parse(json) as WorkflowDefinition;
		expect(original.version).toBeUndefined();

		const form = new FormData();
		form.set("file", new File([json], "round-trip-v1.json", { type: "application/json" }));
		form.set("key", "round-trip-copy");
		form.set("format", "auto");
		const imported = await admin.upload("/admin/import", form);
		expect(imported.status).toBe(303);
		expect(imported.headers.get("Location")).toBe(
			"/admin/workflows/round-trip-copy/draft?notice=imported",
		);
		expect((await getDraft(env.DB, "round-trip-copy"))?.definition).toEqual({
			...original,
			key: "round-trip-copy",
		});
		await edit(admin, "round-trip-copy", "/publish", {});
		const again = await admin.get("/admin/workflows/round-trip-copy/versions/1/export.json");
		expect(JSON.parse(await again.text())).toEqual({ ...original, key: "round-trip-copy" });
	});

	it("T10/T11 the editor saves a start form and a node's editable params, and keeps them through other edits", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "authority", "Authority");
		const startForm = { loops: { label: "Loops", type: "integer", min: 0, default: 2 } };
		await edit(admin, "authority", "/settings", {
			name: "Authority",
			startForm: JSON.stringify(startForm),
			roles: "staff",
		});
		await addNode(admin, "authority", {
			key: "sum",
			task: "add",
			role: "staff",
			params_type: "add",
			"param.a": "2",
			editable: "a",
			start: "true",
			end: "true",
		});
		// Another settings edit and a node edit keep both (they are part of the definition).
		await edit(admin, "authority", "/settings", {
			name: "Authority, renamed",
			startForm: JSON.stringify(startForm),
			roles: "staff",
		});
		const draft = (await getDraft(env.DB, "authority"))?.definition;
		expect(draft?.startForm).toEqual(startForm);
		expect(draft?.nodes[0]?.editable).toEqual(["a"]);
		const page = await (await admin.get("/admin/workflows/authority/draft")).text();
		expect(page).toContain('name="startForm"');
		expect(page).toMatch(/name="editable"[^>]*value="a"/);
		const wrong = await admin.post("/admin/workflows/authority/draft/settings", {
			revision: await revisionOf("authority"),
			name: "Authority",
			startForm: "[1, 2]",
			roles: "staff",
		});
		expect(wrong.status).toBe(422);
		expect(await wrong.text()).toContain("Write a JSON object");
	});

	it("B1 C1 H1 builds a boundary timer and a scope through the forms, keeps the scope's graph through an edit, and publishes", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "shipping", "Shipping");
		const graph = {
			nodes: [
				{ key: "pick", task: "dummy", start: true },
				{ key: "packed", task: "dummy", end: true },
			],
			transitions: [{ from: "pick", to: "packed" }],
		};
		await addNode(admin, "shipping", {
			key: "order",
			name: "Handle the order",
			task: "scope",
			params_type: "scope",
			innerGraph: JSON.stringify(graph),
			start: "true",
			interrupting: "true",
		});
		await addNode(admin, "shipping", {
			key: "review",
			name: "Review",
			task: "question",
			params_type: "question",
			"param.title": "Ship it?",
			due: "P2D",
			interrupting: "true",
		});
		// A boundary, as the page posts it: the hidden "false" is overridden by the checked box.
		await addNode(admin, "shipping", {
			key: "escalate",
			name: "Escalate",
			task: "wait",
			params_type: "wait",
			"param.at": "due",
			attachedTo: "review",
			interrupting: "true",
		});
		await addNode(admin, "shipping", { key: "done", end: "true", join: "xor" });
		await addTransition(admin, "shipping", { from: "order", to: "review" });
		await addTransition(admin, "shipping", { from: "review", to: "done" });
		await addTransition(admin, "shipping", { from: "escalate", to: "done" });

		const page = textOf(await (await admin.get("/admin/workflows/shipping/draft")).text());
		expect(page).toContain("Boundary events: Escalate (a timer at its due date)");
		expect(page).toContain("Boundary event of Review: a timer at its due date; interrupts it");
		expect(page).toContain("Due 2 days after it is created");
		expect(page).toContain("Group of 2 inner steps");
		expect(page).toContain("The draft can be published.");

		// Renaming the scope through its form, as the page shows it, keeps its inner graph.
		await edit(admin, "shipping", "/nodes/order", {
			key: "order",
			name: "Pack the order",
			task: "scope",
			params_type: "scope",
			innerGraph: JSON.stringify(graph, null, 2),
			start: "true",
			interrupting: "false",
		});
		const expected: WorkflowDefinition = {
			key: "shipping",
			name: "Shipping",
			nodes: [
				{ key: "order", name: "Pack the order", task: "scope", start: true, ...graph },
				{
					key: "review",
					name: "Review",
					task: "question",
					params: { title: "Ship it?" },
					due: "P2D",
				},
				{
					key: "escalate",
					name: "Escalate",
					task: "wait",
					params: { at: "due" },
					attachedTo: "review",
				},
				{ key: "done", task: "dummy", end: true, join: "xor" },
			],
			transitions: [
				{ from: "order", to: "review" },
				{ from: "review", to: "done" },
				{ from: "escalate", to: "done" },
			],
		};
		expect((await getDraft(env.DB, "shipping"))?.definition).toEqual(expected);

		// An inner graph that is not JSON is refused next to its field; nothing is saved.
		const broken = await admin.post(
			"/admin/workflows/shipping/draft/nodes/order",
			{
				revision: await revisionOf("shipping"),
				key: "order",
				task: "scope",
				params_type: "scope",
				innerGraph: '{"nodes": [',
			},
			HTMX,
		);
		expect(broken.status).toBe(422);
		const brokenHtml = await broken.text();
		expect(brokenHtml).toMatch(/id="node-0-innerGraph-error"[^>]*>.*This is not valid JSON/s);
		expect(brokenHtml).toContain('href="#node-0-innerGraph"');
		// A host with a boundary event is not deleted from under it.
		const refused = await admin.post("/admin/workflows/shipping/draft/nodes/review/delete", {
			revision: await revisionOf("shipping"),
		});
		expect(refused.status).toBe(422);
		expect(textOf(await refused.text())).toContain(
			'The node "review" has boundary event "escalate": delete it or attach it to another node first.',
		);
		expect((await getDraft(env.DB, "shipping"))?.definition).toEqual(expected);

		const html = await (await admin.get("/admin/workflows/shipping/draft")).text();
		expect(html).toMatch(/<ul class="inner-nodes" aria-label="Inner steps of Pack the order">/);
		await edit(admin, "shipping", "/publish", {});
		expect((await listVersions(env.DB, "shipping")).map((v) => v.version)).toEqual([1]);

		// The published version runs: the scope's inner steps, then the review, due in two days,
		// with its escalation listening on it.
		const before = Date.now();
		const { processId } = await start("shipping");
		const running = await waitFor(processId, (v) =>
			v.state.tasks.some((t) => t.node === "review" && t.awaitingInput),
		);
		expect(trace(running).slice(0, 3)).toEqual(["order", "pick", "packed"]);
		const review = running.state.tasks.find((t) => t.node === "review");
		const listener = running.state.tasks.find((t) => t.node === "escalate");
		expect(review?.dueAt).toBeGreaterThanOrEqual(before + 2 * 86_400_000);
		expect(listener).toMatchObject({ status: "STARTED", boundaryOf: review?.id });
	});

	it("Q1 the settings form saves schedules as a JSON list and refuses anything else", async () => {
		const admin = await signedIn();
		await newWorkflow(admin, "mornings", "Mornings");
		const schedules = [{ cron: "0 9 * * 1-5", timezone: "Europe/Madrid" }];
		await edit(admin, "mornings", "/settings", {
			name: "Mornings",
			schedules: JSON.stringify(schedules),
		});
		expect((await getDraft(env.DB, "mornings"))?.definition.schedules).toEqual(schedules);
		const page = await (await admin.get("/admin/workflows/mornings/draft")).text();
		expect(page).toMatch(/<textarea id="settings-schedules" name="schedules"[^>]*>\[/);
		const wrong = await admin.post("/admin/workflows/mornings/draft/settings", {
			revision: await revisionOf("mornings"),
			name: "Mornings",
			schedules: '{"cron": "0 9 * * *"}',
		});
		expect(wrong.status).toBe(422);
		expect(textOf(await wrong.text())).toContain("Write a JSON list, e.g.");
		expect((await getDraft(env.DB, "mornings"))?.definition.schedules).toEqual(schedules);
	});
});
