// Who may set which param: T10 (what a starter gives), T11 (what a person submits), and the
// finished-process answer of T4. Each test shows the hole the rule closes.
import { describe, expect, it } from "vitest";
import {
	compileWorkflow,
	createProcess,
	describeTaskForm,
	EngineError,
	offeredFields,
} from "../../../src/engine/index.ts";
import { build, definition, n, t } from "../helpers/builder.ts";
import { testCatalog } from "../helpers/catalog.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

const approval = build(
	[
		n("request", { start: true, task: "job", split: "xor" }),
		n("review", { task: "job" }),
		n("approved", { end: true, join: "xor" }),
	],
	[
		t("request", "review", { condition: '= params.region = "EU"' }),
		t("request", "approved", { condition: '= params.region != "EU"' }),
		t("review", "approved"),
	],
	{ params: { region: "EU" } },
);

function startError(workflow = approval, params: Record<string, unknown> = {}) {
	try {
		createProcess(workflow, { id: "p", params }, { now: 0 });
	} catch (e) {
		if (e instanceof EngineError) return { code: e.code, message: e.message, details: e.details };
		throw e;
	}
	return undefined;
}

describe("T10 start params", () => {
	it("T10 refuses a start param the workflow does not declare, naming it (a starter cannot skip a review)", () => {
		const error = startError(approval, { region: "US" });
		expect(error).toMatchObject({
			code: "invalid_params",
			details: { unknown: ["region"], fields: { region: expect.any(String) } },
		});
		expect(error?.message).toContain("region");
		// Without the forged key, the author's region decides.
		const run = new ProcessRun(approval).start().complete("request");
		expect(run.statuses()).toEqual(["request:SUCCESS", "review:PENDING"]);
	});

	it("T10 takes the declared fields, checks their types and fills in defaults", () => {
		const wf = build([n("a", { start: true, end: true })], [], {
			startForm: {
				loops: { label: "Loops", type: "integer", min: 0, max: 5, default: 2 },
				note: { label: "Note" },
			},
		});
		expect(createProcess(wf, { id: "p" }, { now: 0 }).params).toEqual({ loops: 2 });
		expect(
			createProcess(wf, { id: "p", params: { loops: 4, note: "hi" } }, { now: 0 }).params,
		).toEqual({ loops: 4, note: "hi" });
		expect(startError(wf, { loops: 9 })).toMatchObject({
			code: "invalid_params",
			details: { unknown: [], fields: { loops: expect.any(String) } },
		});
		expect(startError(wf, { loops: "two" })).toMatchObject({ code: "invalid_params" });
	});

	it("T10 a json field takes an object or a list, never a bare value", () => {
		const wf = build([n("a", { start: true, end: true })], [], {
			startForm: { items: { label: "Items", type: "json" } },
		});
		const items = [{ sku: "A-1", qty: 2 }];
		expect(createProcess(wf, { id: "p", params: { items } }, { now: 0 }).params).toEqual({ items });
		expect(createProcess(wf, { id: "p", params: { items: { a: 1 } } }, { now: 0 }).params).toEqual({
			items: { a: 1 },
		});
		expect(startError(wf, { items: "[not json" })).toMatchObject({
			code: "invalid_params",
			details: { fields: { items: expect.any(String) } },
		});
	});

	it("T10 an http node's url and headers cannot be redirected by a starter", () => {
		const wf = build(
			[
				n("pay", {
					start: true,
					end: true,
					task: "http",
					params: {
						method: "POST",
						url: "https://payments.example/pay",
						headers: { Authorization: { secret: "PAYMENTS_TOKEN", prefix: "Bearer " } },
						body: { amount: 10 },
					},
				}),
			],
			[],
		);
		expect(
			startError(wf, { url: "https://evil.example/", body: { amount: 1_000_000 } }),
		).toMatchObject({ code: "invalid_params", details: { unknown: ["url", "body"] } });
	});

	it("T10 D2: a default that does not fit its field is an error, a start field that replaces a node param a warning", () => {
		const result = compileWorkflow(
			definition([n("a", { start: true, end: true, task: "add", params: { a: 1 } })], [], {
				startForm: {
					a: { label: "A", type: "integer" },
					size: { label: "Size", type: "select", options: ["S", "M"], default: "XL" },
				},
			}),
			testCatalog,
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => `${p.code} ${p.path}`)).toEqual([
			"INVALID_START_DEFAULT startForm.size.default",
		]);
		expect(result.warnings.map((p) => `${p.code} ${p.path}`)).toContain(
			"START_FIELD_OVERRIDES_NODE nodes[0].params.a",
		);
	});
});

describe("T11 what a person may submit", () => {
	const sum = (editable?: string[]) =>
		build(
			[
				n("sum", {
					start: true,
					end: true,
					task: "add",
					params: { a: 2 },
					...(editable ? { editable } : {}),
				}),
			],
			[],
		);

	it("T11 refuses a key the form does not offer (a param the author fixed) and changes nothing", () => {
		const run = new ProcessRun(sum()).start();
		const task = run.task("sum");
		expect(task.requiredFields).toEqual(["b"]);
		expect(offeredFields(run.workflow, run.state, task)).toEqual(["b"]);
		const before = JSON.stringify(run.state);
		const outcome = run.try({
			type: "SubmitValues",
			taskId: task.id,
			values: { a: 900, b: 1 },
			actor: admin,
		});
		expect(outcome).toMatchObject({
			ok: false,
			error: {
				code: "invalid_params",
				details: { notOffered: ["a"], fields: { a: expect.any(String) } },
			},
		});
		expect(JSON.stringify(run.state)).toBe(before);
		run.submit("sum", { b: 1 });
		run.send({ type: "ClaimTask", taskId: task.id, attempt: 1 });
		expect(run.reply).toMatchObject({ run: true, params: { a: 2, b: 1 } });
	});

	it("T11 a field the node marks editable may be changed by the person", () => {
		const run = new ProcessRun(sum(["a"])).start();
		expect(offeredFields(run.workflow, run.state, run.task("sum"))).toEqual(["a", "b"]);
		run.submit("sum", { a: 5, b: 1 });
		run.send({ type: "ClaimTask", taskId: run.task("sum").id, attempt: 1 });
		expect(run.reply).toMatchObject({ run: true, params: { a: 5, b: 1 } });
	});

	it("T11 a param the starter gave is not the person's to change either", () => {
		const wf = build([n("sum", { start: true, end: true, task: "add" })], [], {
			startForm: { a: { label: "A", type: "integer" } },
		});
		const run = new ProcessRun(wf, { params: { a: 3 } }).start();
		expect(offeredFields(run.workflow, run.state, run.task("sum"))).toEqual(["b"]);
		expect(
			run.try({ type: "SubmitValues", taskId: "p/t1", values: { a: 1, b: 1 }, actor: admin }),
		).toMatchObject({ ok: false, error: { code: "invalid_params" } });
	});

	it("T11 an ask task offers every question; a question shows its title and details as text", () => {
		const wf = build(
			[
				n("form", {
					start: true,
					task: "ask",
					params: {
						questions: { venue: { label: "Venue" }, seats: { label: "Seats", type: "integer" } },
					},
				}),
				n("check", {
					task: "question",
					end: true,
					params: { title: "Is it booked?", description: "Call the venue first." },
				}),
			],
			[t("form", "check")],
		);
		const run = new ProcessRun(wf).start();
		expect(offeredFields(run.workflow, run.state, run.task("form"))).toEqual(["venue", "seats"]);
		run.submit("form", { venue: "Hall" });
		const check = run.task("check");
		const form = describeTaskForm(run.workflow, run.state, check);
		expect(form.fields.map((f) => f.name)).toEqual(["answer"]);
		expect(form.shown).toEqual([
			{ name: "title", label: "Question", value: "Is it booked?" },
			{ name: "description", label: "Details", value: "Call the venue first." },
		]);
		expect(
			run.try({
				type: "SubmitValues",
				taskId: check.id,
				values: { title: "Rewritten", answer: "yes" },
				actor: admin,
			}),
		).toMatchObject({
			ok: false,
			error: { code: "invalid_params", details: { notOffered: ["title"] } },
		});
	});

	it("T11 D2: editable must name a param of the node's task type, and never its shown text", () => {
		const result = compileWorkflow(
			definition(
				[
					n("a", { start: true, task: "add", editable: ["c"] }),
					n("b", { end: true, task: "question", params: { title: "Q" }, editable: ["title"] }),
				],
				[t("a", "b")],
			),
			testCatalog,
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => `${p.code} ${p.path}`)).toEqual([
			"UNKNOWN_EDITABLE_FIELD nodes[0].editable[0]",
			"EDITABLE_SHOWN_FIELD nodes[1].editable[0]",
		]);
	});
});

describe("T4 on a finished process", () => {
	it("T4 human input on a finished process answers already_started", () => {
		const wf = build(
			[n("a", { start: true, task: "needs-x" }), n("b", { start: true, end: true })],
			[],
		);
		const run = new ProcessRun(wf).start().complete("b");
		expect(run.state.status).toBe("SUCCESS");
		expect(
			run.try({ type: "SubmitValues", taskId: "p/t1", values: { x: 1 }, actor: admin }),
		).toMatchObject({ ok: false, error: { code: "already_started" } });
	});
});
