// Finding work in the inbox (issue #17): the orders (due date, priority, age, workflow, process
// name), saved filters as shareable links, the bulk claim from a role's queue, and filters that
// offer only the workflows a person has something of.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SAVED_FILTER_LIMIT } from "../../src/db/saved-filters.ts";
import { signedIn } from "./auth-fixtures.ts";
import { publish, start, waitFor, workflow } from "./process-fixtures.ts";

let counter = 0;
const ask = { questions: { answer: { label: "Answer", required: true } } };

/** A workflow named `name` whose one task is in `role`'s queue; returns its key. */
async function queueWorkflow(role: string, name: string, nodeName = "Review"): Promise<string> {
	counter += 1;
	const key = `find-${counter}`;
	await publish(
		workflow(
			key,
			[
				{ key: "review", name: nodeName, role, task: "ask", start: true, params: ask },
				{ key: "end", task: "dummy", end: true },
			],
			[{ from: "review", to: "end" }],
			{ name },
		),
	);
	return key;
}

/** Starts `key` (named `name`) and waits until its task is assigned and indexed. */
async function startIndexed(
	key: string,
	name?: string,
): Promise<{ processId: string; taskId: string }> {
	const { processId } = await (name
		? import("../../src/durable/process-client.ts").then((m) =>
				m.startProcess(env, { workflowKey: key, params: {}, name }),
			)
		: start(key, {}));
	const v = await waitFor(processId, (p) => p.state.tasks.some((t) => t.assignee));
	const taskId = v.state.tasks[0]?.id ?? "";
	const deadline = Date.now() + 10_000;
	for (;;) {
		const row = await env.DB.prepare("SELECT assignee FROM tasks WHERE id = ?")
			.bind(taskId)
			.first<{ assignee: string | null }>();
		if (row?.assignee) return { processId, taskId };
		if (Date.now() > deadline) throw new Error(`${taskId} not indexed`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

const order = (html: string, names: string[]) =>
	names
		.map((n) => html.indexOf(n))
		.every((at, i, all) => at >= 0 && (i === 0 || at > (all[i - 1] ?? 0)));

describe("the inbox's orders", () => {
	it("sorts by workflow name, process name, and age either way", async () => {
		const role = `sort-${++counter}`;
		const sam = await signedIn({ roles: [role], name: "sam" });
		const zeta = await queueWorkflow(role, "Zeta purchases", "Zeta step");
		const alpha = await queueWorkflow(role, "Alpha purchases", "Alpha step");
		await startIndexed(zeta, "Aardvark order");
		await new Promise((r) => setTimeout(r, 5));
		await startIndexed(alpha, "Zebra order");

		const byWorkflow = await (await sam.get("/inbox?sort=workflow")).text();
		expect(order(byWorkflow, ["Alpha step", "Zeta step"])).toBe(true);
		const byProcess = await (await sam.get("/inbox?sort=process")).text();
		expect(order(byProcess, ["Zeta step", "Alpha step"])).toBe(true);
		const oldest = await (await sam.get("/inbox?sort=oldest")).text();
		expect(order(oldest, ["Zeta step", "Alpha step"])).toBe(true);
		const newest = await (await sam.get("/inbox?sort=newest")).text();
		expect(order(newest, ["Alpha step", "Zeta step"])).toBe(true);
		// Every order is offered, and an unknown one is the default.
		for (const label of [
			"Age, oldest first",
			"Age, newest first",
			"Workflow name",
			"Process name",
		]) {
			expect(byWorkflow).toContain(label);
		}
		expect((await sam.get("/inbox?sort=bogus")).status).toBe(200);
	});
});

describe("the workflows the filters offer", () => {
	it("lists only the workflows of the person's work in the inbox, and of the processes they see", async () => {
		const role = `wf-${++counter}`;
		const other = `wf-other-${++counter}`;
		const tess = await signedIn({ roles: [role], name: "tess" });
		const mineName = `Tess workflow ${counter}`;
		const theirsName = `Not for Tess ${counter}`;
		const mine = await queueWorkflow(role, mineName);
		const theirs = await queueWorkflow(other, theirsName);
		await signedIn({ roles: [other], name: "uma" });
		await startIndexed(mine);
		await startIndexed(theirs);

		const inbox = await (await tess.get("/inbox")).text();
		expect(inbox).toContain(mineName);
		expect(inbox).not.toContain(theirsName);
		const processes = await (await tess.get("/processes")).text();
		expect(processes).toContain(mineName);
		expect(processes).not.toContain(theirsName);
		// A workflow named in the address stays offered (the select shows what is applied).
		const chosen = await (await tess.get(`/inbox?workflow=${theirs}`)).text();
		expect(chosen).toContain(theirsName);
	});
});

describe("saved filters", () => {
	it("saves the page's filters under a name, as a link, and deletes them", async () => {
		const vic = await signedIn({ name: "vic" });
		const saved = await vic.post("/inbox/filters", {
			name: "Overdue first",
			query: "sort=due&due=overdue&bogus=1",
		});
		expect(saved.status).toBe(303);
		expect(saved.headers.get("Location")).toBe("/inbox?due=overdue&sort=due&notice=filter-saved");
		const html = await (await vic.get("/inbox?due=overdue&sort=due")).text();
		expect(html).toMatch(
			/<a href="\/inbox\?due=overdue&amp;sort=due" aria-current="true">Overdue first<\/a>/,
		);
		// Saving the same name again replaces it.
		await vic.post("/inbox/filters", { name: "Overdue first", query: "sort=oldest" });
		const again = await (await vic.get("/inbox")).text();
		expect(again.match(/Overdue first<\/a>/g)?.length).toBe(1);
		expect(again).toContain('href="/inbox?sort=oldest"');

		// Only its owner may delete it.
		const id = again.match(/action="\/inbox\/filters\/(f-[^/"]+)\/delete"/)?.[1];
		expect(id).toBeTruthy();
		const wes = await signedIn({ name: "wes" });
		expect((await wes.post(`/inbox/filters/${id}/delete`)).status).toBe(404);
		const deleted = await vic.post(`/inbox/filters/${id}/delete`);
		expect(deleted.headers.get("Location")).toBe("/inbox?notice=filter-deleted");
		expect(await (await vic.get("/inbox")).text()).not.toContain("Overdue first");
	});

	it("refuses a filter without a name or with a long one, and more than the limit, changing nothing", async () => {
		const xena = await signedIn({ name: "xena" });
		expect((await xena.post("/inbox/filters", { name: "  ", query: "" })).status).toBe(400);
		expect((await xena.post("/inbox/filters", { name: "x".repeat(61), query: "" })).status).toBe(
			400,
		);
		for (let i = 0; i < SAVED_FILTER_LIMIT; i++) {
			await xena.post("/inbox/filters", { name: `F${i}`, query: "sort=due" });
		}
		const over = await xena.post("/inbox/filters", { name: "One too many", query: "" });
		expect(over.headers.get("Location")).toBe("/inbox?notice=filter-limit");
		const html = await (await xena.get("/inbox")).text();
		expect(html).not.toContain("One too many");
	});
});

describe("the bulk claim", () => {
	it("claims several tasks of the person's roles' queue at once", async () => {
		const role = `bulk-${++counter}`;
		const yan = await signedIn({ roles: [role], name: "yan" });
		const key = await queueWorkflow(role, `Bulk ${counter}`);
		const a = await startIndexed(key);
		const b = await startIndexed(key);
		// Both went to Yan's teammate or to Yan: a second member takes the bulk claim.
		const zoe = await signedIn({ roles: [role], name: "zoe" });
		const html = await (await zoe.get("/inbox")).text();
		expect(html).toContain('<form id="inbox-claim" method="post" action="/inbox/claim"');
		expect(html).toContain('form="inbox-claim"');
		const res = await zoe.post("/inbox/claim", { task: [a.taskId, b.taskId], back: "sort=due" });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/inbox?sort=due&notice=claimed-all");
		for (const { processId, taskId } of [a, b]) {
			await waitFor(
				processId,
				(p) => p.state.tasks.find((t) => t.id === taskId)?.assignee === zoe.userId,
			);
		}
		// Claiming them again as someone else of another role changes nothing.
		const stranger = await signedIn({ roles: [`other-${counter}`], name: "stranger" });
		const none = await stranger.post("/inbox/claim", { task: [a.taskId] });
		expect(none.headers.get("Location")).toBe("/inbox?notice=claimed-none");
		await waitFor(a.processId, (p) => p.state.tasks[0]?.assignee === zoe.userId);
		expect(yan.userId).not.toBe(zoe.userId);
	});

	it("asks to tick tasks first, and refuses too many or malformed ids with a 400", async () => {
		const ann = await signedIn({ name: "ann" });
		const empty = await ann.post("/inbox/claim", {});
		expect(empty.headers.get("Location")).toBe("/inbox?notice=claim-choose");
		const many = Array.from({ length: 51 }, (_, i) => `p-x/t${i}`);
		expect((await ann.post("/inbox/claim", { task: many })).status).toBe(400);
		expect((await ann.post("/inbox/claim", { task: ["<script>"] })).status).toBe(400);
	});
});
