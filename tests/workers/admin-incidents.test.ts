// Operations: the incidents page lists what needs an admin, read from the processes themselves,
// and each act resolves it through a command whose actor is the admin, which the history records.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { processStub } from "../../src/durable/process-client.ts";
import { HTMX, signedIn, textOf } from "./admin-fixtures.ts";
import {
	expectIndexMatches,
	publish,
	start,
	trace,
	view,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

/** Answers the http task's calls with `statuses` in turn, then 200. */
function fakeRemote(statuses: number[]) {
	vi.spyOn(globalThis, "fetch").mockImplementation(async () => {
		const status = statuses.shift() ?? 200;
		return Response.json({ ok: status === 200 }, { status });
	});
}

afterEach(() => {
	vi.restoreAllMocks();
});

async function history(processId: string) {
	return processStub(env, processId).history();
}

describe("incidents", () => {
	it("P8 a task that failed its process is listed with Retry; the retry reopens the process, recorded with the admin", async () => {
		fakeRemote([404]);
		await publish(
			workflow(
				"p8-charge",
				[
					{ key: "order", task: "dummy", start: true },
					{
						key: "charge",
						task: "http",
						params: { method: "POST", url: "https://pay.example/p8" },
					},
					{ key: "paid", task: "dummy", end: true },
				],
				[
					{ from: "order", to: "charge" },
					{ from: "charge", to: "paid" },
				],
			),
		);
		const { processId } = await start("p8-charge");
		const failed = await waitFor(processId, (v) => v.state.status === "FAILURE");
		const charge = failed.state.tasks.find((t) => t.node === "charge")!;
		expect(charge.status).toBe("FAILURE");
		await expectIndexMatches(processId);

		const admin = await signedIn({ name: "p8admin" });
		const overview = textOf(await (await admin.get("/admin")).text());
		expect(overview).toContain("1 failed task");
		const page = await admin.get("/admin/incidents");
		const html = await page.text();
		const text = textOf(html);
		expect(text).toContain("Failed tasks (1)");
		expect(text).toContain("and the process failed with it: POST https://pay.example/p8: HTTP 404");
		expect(html).toContain('action="/admin/incidents/retry"');
		const nonce = /name="_nonce" value="([^"]+)"/.exec(html)?.[1] ?? "";

		const retry = await admin.post("/admin/incidents/retry", {
			process: processId,
			task: charge.id,
			_nonce: nonce,
		});
		expect(retry.status).toBe(303);
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		expect(done.state.endedAt).toBeGreaterThan(failed.state.endedAt!);
		expect(done.state.tasks.find((t) => t.id === charge.id)).toMatchObject({
			status: "SUCCESS",
			attempt: 2,
		});
		const reopened = (await history(processId)).find((e) => e.type === "ProcessReopened");
		expect(reopened).toMatchObject({ actor: admin.userId, data: { task: charge.id } });
		await expectIndexMatches(processId);
		expect(textOf(await (await admin.get("/admin/incidents")).text())).not.toContain(
			"Failed tasks (1)",
		);
		expect(textOf(await (await admin.get("/admin")).text())).not.toContain("1 failed task");
	});

	it("G8 a failed task retried from the incidents page completes the process; the history names the admin", async () => {
		fakeRemote([404]);
		// "charge" fails for good (a 4xx is not retried); the XOR split's other way ("manual")
		// keeps the process running (R3), so the failure waits for an admin.
		await publish(
			workflow(
				"pay-or-manual",
				[
					{ key: "choose", task: "dummy", start: true, split: "xor" },
					{
						key: "charge",
						task: "http",
						params: { method: "POST", url: "https://pay.example/charge" },
					},
					{ key: "manual", task: "question", params: { title: "Charge by hand?" } },
					{ key: "paid", task: "dummy", end: true, join: "xor" },
				],
				[
					{ from: "choose", to: "charge" },
					{ from: "choose", to: "manual" },
					{ from: "charge", to: "paid" },
					{ from: "manual", to: "paid" },
				],
			),
		);
		const { processId } = await start("pay-or-manual");
		const failed = await waitFor(processId, (v) =>
			v.state.tasks.some((t) => t.node === "charge" && t.status === "FAILURE"),
		);
		const charge = failed.state.tasks.find((t) => t.node === "charge")!;
		await expectIndexMatches(processId);

		const admin = await signedIn({ name: "opsadmin" });
		const page = await admin.get("/admin/incidents");
		expect(page.status).toBe(200);
		const html = await page.text();
		const text = textOf(html);
		expect(text).toContain("Failed tasks (1)");
		expect(text).toContain("Failed after 1 attempt: POST https://pay.example/charge: HTTP 404");
		const nonce = /name="_nonce" value="([^"]+)"/.exec(html)?.[1] ?? "";

		const retry = await admin.post("/admin/incidents/retry", {
			process: processId,
			task: charge.id,
			_nonce: nonce,
		});
		expect(retry.status).toBe(303);
		expect(retry.headers.get("Location")).toBe("/admin/incidents?notice=retried");
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		expect(done.state.tasks.find((t) => t.id === charge.id)).toMatchObject({
			status: "SUCCESS",
			attempt: 2,
		});
		expect(trace(done)).toEqual(["choose", "charge", "manual", "paid"]);
		expect(done.state.tasks.find((t) => t.node === "manual")?.status).toBe("REVOKED");
		// R4: the retry withdrew the alternative way its failure had taken ("manual").
		const manual = done.state.tasks.find((t) => t.node === "manual")!;
		const withdrawn = (await history(processId)).find((e) => e.type === "FailureRoutingWithdrawn");
		expect(withdrawn).toMatchObject({ actor: admin.userId, data: { revoked: [manual.id] } });
		const retried = (await history(processId)).find(
			(e) => e.type === "TaskRetried" && e.data?.manual === true,
		);
		expect(retried?.actor).toBe(admin.userId);
		await expectIndexMatches(processId);

		// The same submit again (a double click) is applied once.
		const again = await admin.post("/admin/incidents/retry", {
			process: processId,
			task: charge.id,
			_nonce: nonce,
		});
		expect(again.status).toBe(303);
		expect((await history(processId)).filter((e) => e.type === "TaskRetried")).toHaveLength(1);
		const after = textOf(await (await admin.get("/admin/incidents")).text());
		expect(after).not.toContain("Failed after 1 attempt: POST https://pay.example/charge");
	});

	it("T3 a task nobody of its role can take is assigned from the page, and its incident closes", async () => {
		await publish(
			workflow(
				"unstaffed",
				[
					{
						key: "review",
						task: "question",
						role: "auditors-none",
						start: true,
						params: { title: "OK?" },
					},
					{ key: "end", task: "dummy", end: true },
				],
				[{ from: "review", to: "end" }],
			),
		);
		const { processId } = await start("unstaffed");
		const waiting = await waitFor(processId, (v) =>
			v.state.incidents.some((i) => i.kind === "no_assignee"),
		);
		const task = waiting.state.tasks[0]!;
		const admin = await signedIn();
		const helper = await signedIn({ isAdmin: false, name: "helper" });
		const text = textOf(await (await admin.get("/admin/incidents")).text());
		expect(text).toContain("Tasks without an assignee (1)");
		expect(text).toContain('Nobody is in the role "auditors-none"');

		const res = await admin.post(
			"/admin/incidents/assign",
			{
				process: processId,
				task: task.id,
				assignee: `add-to-role:${helper.userId}`,
				_nonce: "assign-nonce-1",
			},
			HTMX,
		);
		expect(res.status).toBe(200);
		const fragment = await res.text();
		expect(fragment).toContain('id="incidents"');
		expect(fragment).toContain("The task was reassigned.");
		expect(textOf(fragment)).not.toContain("Tasks without an assignee (1)");
		const v = await view(processId);
		expect(v.state.tasks[0]?.assignee).toBe(helper.userId);
		expect(v.state.incidents.every((i) => i.resolvedAt !== undefined)).toBe(true);
		const events = await history(processId);
		expect(events.find((e) => e.type === "TaskAssigned" && e.actor === admin.userId)?.data).toEqual(
			{ assignee: helper.userId },
		);
		expect(events.find((e) => e.type === "IncidentResolved")?.actor).toBe(admin.userId);
		await expectIndexMatches(processId);
	});

	it("P7 a process over its step budget is resumed by raising the budget from the page", async () => {
		await publish(
			workflow(
				"runaway",
				[
					{ key: "a", task: "dummy", start: true },
					{ key: "b", task: "dummy", split: "xor" },
					{ key: "end", task: "dummy", end: true },
				],
				[
					{ from: "a", to: "b" },
					{ from: "b", to: "a", condition: "= process.passes.b < 3" },
					{ from: "b", to: "end", condition: "= process.passes.b >= 3" },
				],
				{ stepBudget: 4 },
			),
		);
		const { processId } = await start("runaway");
		await waitFor(processId, (v) => v.state.incidents.some((i) => i.kind === "step_budget"));
		const admin = await signedIn();
		const text = textOf(await (await admin.get("/admin/incidents")).text());
		expect(text).toContain("Over their step budget (1)");
		expect(text).toContain("4 of 4 steps used");

		const low = await admin.post("/admin/incidents/budget", {
			process: processId,
			stepBudget: "3",
			_nonce: "budget-low-1",
		});
		expect(low.status).toBe(422);
		const res = await admin.post("/admin/incidents/budget", {
			process: processId,
			stepBudget: "20",
			_nonce: "budget-ok-1",
		});
		expect(res.status).toBe(303);
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		expect(trace(done)).toEqual(["a", "b", "a", "b", "a", "b", "end"]);
		const raised = (await history(processId)).find((e) => e.type === "StepBudgetRaised");
		expect(raised).toMatchObject({ actor: admin.userId, data: { from: 4, to: 20 } });
		await expectIndexMatches(processId);
	});

	it("P5 a stuck process is listed and stopped from the page, as the admin", async () => {
		await publish(
			workflow(
				"dead-end",
				[
					{ key: "sum", task: "add", start: true, split: "xor", params: { a: 1, b: 1 } },
					{ key: "five", task: "dummy", end: true },
				],
				[{ from: "sum", to: "five", condition: "5" }],
			),
		);
		const { processId } = await start("dead-end");
		await waitFor(processId, (v) => v.stuck);
		await expectIndexMatches(processId);
		const admin = await signedIn();
		const text = textOf(await (await admin.get("/admin/incidents")).text());
		expect(text).toContain("Stuck processes (1)");
		const res = await admin.post("/admin/incidents/stop", {
			process: processId,
			_nonce: "stop-nonce-1",
		});
		expect(res.status).toBe(303);
		const v = await view(processId);
		expect(v.state.status).toBe("REVOKED");
		expect((await history(processId)).find((e) => e.type === "ProcessRevoked")?.actor).toBe(
			admin.userId,
		);
		await expectIndexMatches(processId);
	});

	it("a dead-lettered task is revoked from the page, and an act on an unknown process is 404", async () => {
		await publish(
			workflow(
				"waits-forever",
				[
					{ key: "hold", task: "event", start: true, params: { correlationKey: "never" } },
					{ key: "other", task: "question", start: true, params: { title: "Anything?" } },
					{ key: "end", task: "dummy", end: true, join: "xor" },
				],
				[
					{ from: "hold", to: "end" },
					{ from: "other", to: "end" },
				],
			),
		);
		const { processId } = await start("waits-forever");
		const v = await waitFor(processId, (x) => x.state.tasks.length === 2);
		const hold = v.state.tasks.find((t) => t.node === "hold")!;
		await processStub(env, processId).execute({
			type: "RecordIncident",
			taskId: hold.id,
			kind: "dead_letter",
			message: "The run of attempt 1 could not be delivered after every retry.",
		});
		const admin = await signedIn();
		const text = textOf(await (await admin.get("/admin/incidents")).text());
		expect(text).toContain("Undelivered task messages (1)");
		const res = await admin.post("/admin/incidents/revoke", {
			process: processId,
			task: hold.id,
			_nonce: "revoke-nonce-1",
		});
		expect(res.status).toBe(303);
		const after = await view(processId);
		expect(after.state.tasks.find((t) => t.id === hold.id)?.status).toBe("REVOKED");
		expect((await history(processId)).find((e) => e.type === "TaskRevoked")?.actor).toBe(
			admin.userId,
		);

		const missing = await admin.post("/admin/incidents/stop", {
			process: "p-nothing-here",
			_nonce: "stop-nonce-2",
		});
		expect(missing.status).toBe(404);
	});

	it("P8 the task page and the process page offer Retry on the task that failed its process", async () => {
		fakeRemote([404]);
		await publish(
			workflow(
				"p8-pages",
				[
					{
						key: "charge",
						task: "http",
						start: true,
						params: { method: "POST", url: "https://pay.example/p8-pages" },
					},
					{ key: "paid", task: "dummy", end: true },
				],
				[{ from: "charge", to: "paid" }],
			),
		);
		const { processId } = await start("p8-pages");
		const failed = await waitFor(processId, (v) => v.state.status === "FAILURE");
		const charge = failed.state.tasks[0]!;
		const href = `/tasks/${encodeURIComponent(charge.id)}`;
		const admin = await signedIn({ name: "p8pages" });
		const taskPage = await (await admin.get(href)).text();
		expect(taskPage).toContain(`action="${href}/retry"`);
		const processPage = await (
			await admin.get(`/processes/${encodeURIComponent(processId)}`)
		).text();
		expect(processPage).toContain(`action="${href}/retry"`);
		const retried = await admin.post(`${href}/retry`, { back: href });
		expect(retried.status).toBe(303);
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		expect(done.state.tasks[0]).toMatchObject({ status: "SUCCESS", attempt: 2 });
		await expectIndexMatches(processId);
	});
});
