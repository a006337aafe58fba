// Who may set which param, end to end (T10, T11, T12): a starter gives only the start form's fields,
// a person submits only what their form offers (API and page alike), a credential is a named
// secret resolved only inside the run, and a submit that loses a race says what happened.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { processStub } from "../../src/durable/process-client.ts";
import { purchaseApproval } from "../../src/workflows/purchase-approval.ts";
import { apiUser, json } from "./api-fixtures.ts";
import { signedIn } from "./auth-fixtures.ts";
import { expectIndexMatches, publish, start, view, waitFor, workflow } from "./process-fixtures.ts";

const href = (taskId: string) => `/tasks/${encodeURIComponent(taskId)}`;

const SECRET = env.PAYMENTS_TOKEN;

/** The first task of the process once it waits for a person. */
async function waitingTask(processId: string) {
	const v = await waitFor(processId, (x) => x.state.tasks[0]?.awaitingInput === true);
	return v.state.tasks[0] as NonNullable<(typeof v.state.tasks)[0]>;
}

beforeAll(async () => {
	await publish(purchaseApproval);
});

afterEach(() => {
	vi.restoreAllMocks();
});

describe("T10 what a starter may give", () => {
	it("T10 an API start naming a param outside the start form is refused with 422 naming it, and starts nothing", async () => {
		const requester = await apiUser({ isAdmin: true });
		const before = await env.DB.prepare("SELECT count(*) AS n FROM processes").first<{
			n: number;
		}>();
		const refused = await json<{ code: string; message: string; details: { unknown: string[] } }>(
			requester,
			"/api/v1/processes",
			{ body: { workflowKey: "purchase-approval", params: { region: "US" } } },
		);
		expect(refused.status).toBe(422);
		expect(refused.body.code).toBe("invalid_params");
		expect(refused.body.message).toContain("region");
		expect(refused.body.details.unknown).toEqual(["region"]);
		const after = await env.DB.prepare("SELECT count(*) AS n FROM processes").first<{
			n: number;
		}>();
		expect(after?.n).toBe(before?.n);
	});

	it("T10 the start page offers the start form's fields only, and refuses a forged one", async () => {
		await publish(
			workflow("t10-page", [{ key: "a", task: "dummy", start: true, end: true }], [], {
				params: { region: "EU" },
				startForm: { loops: { label: "Loops", type: "integer", min: 0, max: 5, default: 2 } },
			}),
		);
		const admin = await signedIn({ isAdmin: true });
		const page = await (await admin.get("/workflows/t10-page/start")).text();
		expect(page).toContain('name="loops"');
		expect(page).not.toContain('name="region"');
		const forged = await admin.post("/workflows/t10-page/start", { loops: "3", region: "US" });
		expect(forged.status).toBe(422);
		expect(await forged.text()).toContain("region");
		const ok = await admin.post("/workflows/t10-page/start", { loops: "3" });
		expect(ok.status).toBe(303);
		const processId = decodeURIComponent(
			(ok.headers.get("location") ?? "").replace(/^\/processes\//, "").replace(/\?.*$/, ""),
		);
		expect((await view(processId)).state.params).toEqual({ loops: 3 });
	});
});

describe("T11 what a person may submit", () => {
	it("T11 API values with a key the form does not offer answer 422, and the task still waits (no skipped review)", async () => {
		const admin = await apiUser({ isAdmin: true });
		const started = await json<{ processId: string }>(admin, "/api/v1/processes", {
			body: { workflowKey: "purchase-approval" },
		});
		const task = await waitingTask(started.body.processId);
		const forged = await json<{ code: string; details: { notOffered: string[] } }>(
			admin,
			`/api/v1/tasks/${task.id}/values`,
			{ body: { values: { item: "Server", total: 5000, region: "US" } } },
		);
		expect(forged.status).toBe(422);
		expect(forged.body.details.notOffered).toEqual(["region"]);
		expect((await view(started.body.processId)).state.tasks[0]).toMatchObject({
			status: "PENDING",
			awaitingInput: true,
		});
		const detail = await json<{ form: { name: string }[] }>(admin, `/api/v1/tasks/${task.id}`);
		expect(detail.body.form.map((f) => f.name)).toEqual(["item", "total"]);
		const honest = await json(admin, `/api/v1/tasks/${task.id}/values`, {
			body: { values: { item: "Server", total: 5000 } },
		});
		expect(honest.status).toBe(200);
		const v = await waitFor(started.body.processId, (x) => x.state.tasks.length === 2);
		expect(v.state.tasks.map((t) => t.node)).toEqual(["request", "review"]);
	});

	it("T11 the page refuses a posted field its form does not offer (422) and changes nothing", async () => {
		const { processId } = await start("purchase-approval");
		const task = await waitingTask(processId);
		const admin = await signedIn({ isAdmin: true });
		const forged = await admin.post(`${href(task.id)}/input`, {
			item: "Server",
			total: "5000",
			region: "US",
		});
		expect(forged.status).toBe(422);
		expect(await forged.text()).toContain("region");
		const after = (await view(processId)).state.tasks[0];
		expect(after?.awaitingInput).toBe(true);
		expect(after?.submittedBy).toBeUndefined();
	});

	it("T11 a question shows its title and details as text; only the answer is an input", async () => {
		await publish(
			workflow(
				"t11-question",
				[
					{
						key: "check",
						task: "question",
						start: true,
						end: true,
						params: { title: "Collect the papers?", description: "Ask the chairs first." },
					},
				],
				[],
			),
		);
		const { processId } = await start("t11-question");
		const task = await waitingTask(processId);
		const admin = await signedIn({ isAdmin: true });
		const html = await (await admin.get(href(task.id))).text();
		expect(html).toContain("Collect the papers?");
		expect(html).toContain("Ask the chairs first.");
		expect(html).toContain('name="answer"');
		expect(html).not.toContain('name="title"');
		expect(html).not.toContain('name="description"');
		const rewritten = await admin.post(`${href(task.id)}/input`, {
			title: "Something else",
			answer: "yes",
		});
		expect(rewritten.status).toBe(422);
		const answered = await admin.post(`${href(task.id)}/input`, { answer: "yes" });
		expect(answered.status).toBe(303);
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		expect(done.state.tasks[0]?.result).toBe("yes");
	});

	it("T4 a submit that lost a claim race says who took the task, in words, and keeps what was typed", async () => {
		await publish(
			workflow(
				"t4-race",
				[
					{
						key: "form",
						task: "ask",
						role: "racers",
						start: true,
						end: true,
						params: { questions: { venue: { label: "Venue", required: true } } },
					},
				],
				[],
				{ roles: [{ key: "racers", name: "Racers" }] },
			),
		);
		const olivia = await signedIn({ roles: ["racers"], name: "olivia" });
		const oscar = await signedIn({ roles: ["racers"], name: "oscar" });
		const { processId } = await start("t4-race");
		const task = await waitingTask(processId);
		await waitFor(processId, (v) => v.state.tasks[0]?.assignee !== undefined);
		// Oscar claims the task; Olivia, who had the form open, submits after him.
		const claimer =
			(await view(processId)).state.tasks[0]?.assignee === oscar.user.id ? olivia : oscar;
		const loser = claimer === oscar ? olivia : oscar;
		expect((await claimer.post(`${href(task.id)}/claim`, {})).status).toBe(303);
		const lost = await loser.post(`${href(task.id)}/input`, { venue: "Grand Hall, east wing" });
		expect(lost.status).toBe(403);
		const html = await lost.text();
		expect(html).toContain(`${claimer.user.displayName} claimed this task`);
		expect(html).toContain("Grand Hall, east wing");
		expect(html).not.toContain(task.id);
		expect(html).not.toContain("may not act on task");
	});

	it("T4 API values on a finished process answer 409 already_started", async () => {
		await publish(
			workflow(
				"t4-finished",
				[
					{
						key: "form",
						task: "ask",
						start: true,
						params: { questions: { x: { label: "X", required: true } } },
					},
					{ key: "quick", task: "dummy", start: true, end: true },
				],
				[],
			),
		);
		const admin = await apiUser({ isAdmin: true });
		const started = await json<{ processId: string }>(admin, "/api/v1/processes", {
			body: { workflowKey: "t4-finished" },
		});
		const done = await waitFor(started.body.processId, (v) => v.state.status === "SUCCESS");
		const late = await json<{ code: string }>(
			admin,
			`/api/v1/tasks/${done.state.tasks[0]?.id}/values`,
			{
				body: { values: { x: "1" } },
			},
		);
		expect(late).toMatchObject({ status: 409, body: { code: "already_started" } });
	});
});

describe("T12 secrets", () => {
	const payment = (key: string, headers: Record<string, unknown>) =>
		workflow(
			key,
			[
				{
					key: "pay",
					task: "http",
					start: true,
					end: true,
					params: {
						method: "POST",
						url: "https://payments.example/pay",
						headers,
						body: { amount: 10 },
					},
				},
			],
			[],
		);

	it("T12 a named secret reaches the remote inside the run and appears nowhere else", async () => {
		expect(SECRET).toMatch(/^tok_/);
		const seen: (string | null)[] = [];
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const request = new Request(input as RequestInfo, init as RequestInit);
			seen.push(request.headers.get("Authorization"));
			return Response.json({ paid: true });
		});
		await publish(
			payment("t12-secret", { Authorization: { secret: "PAYMENTS_TOKEN", prefix: "Bearer " } }),
		);
		const admin = await apiUser({ isAdmin: true });
		const started = await json<{ processId: string }>(admin, "/api/v1/processes", {
			body: { workflowKey: "t12-secret" },
		});
		const processId = started.body.processId;
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		expect(seen).toContain(`Bearer ${SECRET}`);
		const history = await processStub(env, processId).history();
		const apiView = await json(admin, `/api/v1/processes/${processId}`);
		const taskApi = await json(admin, `/api/v1/tasks/${done.state.tasks[0]?.id}`);
		const page = await (
			await (await signedIn({ isAdmin: true })).get(`/processes/${processId}`)
		).text();
		for (const text of [
			JSON.stringify(done),
			JSON.stringify(history),
			JSON.stringify(apiView.body),
			JSON.stringify(taskApi.body),
			page,
		]) {
			expect(text).not.toContain(SECRET);
		}
		await expectIndexMatches(processId);
	});

	it("T12 a secret not listed in TASK_SECRETS fails the task at once without calling out", async () => {
		const calls = vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({}));
		await publish(payment("t12-forbidden", { Authorization: { secret: "SESSION_KEYS" } }));
		const { processId } = await start("t12-forbidden");
		const failed = await waitFor(processId, (v) => v.state.status === "FAILURE");
		expect(failed.state.tasks[0]?.error).toMatchObject({ code: "SECRET_NOT_ALLOWED" });
		expect(calls).not.toHaveBeenCalled();
		expect(JSON.stringify(failed)).not.toContain(env.SESSION_KEYS);
	});

	it("T12 D2 a literal credential header is refused when the workflow is published", async () => {
		const admin = await apiUser({ isAdmin: true });
		const refused = await json<{ code: string; details: { problems: { path: string }[] } }>(
			admin,
			"/api/v1/workflows",
			{ body: payment("t12-literal", { Authorization: "Bearer tok_in_the_definition" }) },
		);
		expect(refused.status).toBe(422);
		expect(JSON.stringify(refused.body)).toContain("Authorization");
	});
});
