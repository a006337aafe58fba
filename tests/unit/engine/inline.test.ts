import { describe, expect, it } from "vitest";
import {
	compileWorkflow,
	type NodeDefinition,
	type WorkflowDefinition,
} from "../../../src/engine/index.ts";
import { shippedWorkflows } from "../../../src/workflows/index.ts";
import { build, definition, n, t } from "../helpers/builder.ts";
import { testCatalog } from "../helpers/catalog.ts";
import { ProcessRun } from "../helpers/harness.ts";

const inline = (key: string, extra: Partial<NodeDefinition> = {}) =>
	n(key, { task: "dummy", inline: true, ...extra });

/** Runs a process whose dispatched jobs are completed in dispatch order, as the queue does. */
function runToEnd(run: ProcessRun, result: (node: string) => unknown = () => null): ProcessRun {
	const queue: string[] = [];
	const take = () => {
		for (const e of run.effects) if (e.type === "DispatchTask") queue.push(e.taskId);
	};
	take();
	for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
		const task = run.state.tasks.find((x) => x.id === id);
		if (task?.status !== "PENDING") continue;
		run.send({ type: "ClaimTask", taskId: id, attempt: task.attempt });
		run.send({
			type: "CompleteTask",
			taskId: id,
			attempt: task.attempt,
			result: result(task.node),
		});
		take();
	}
	return run;
}

describe("inline tasks", () => {
	it("T9 runs a pure job on an inline node in the step that activates it, with no queue message", () => {
		const wf = build(
			[
				inline("a", { start: true }),
				inline("b", { task: "add", params: { a: 2, b: 3 } }),
				n("c", { end: true }),
			],
			[t("a", "b"), t("b", "c")],
		);
		const run = new ProcessRun(wf).start();
		expect(run.statuses()).toEqual(["a:SUCCESS", "b:SUCCESS", "c:PENDING"]);
		expect(run.task("b")).toMatchObject({ result: 5, progress: 100, startedAt: run.now });
		expect(run.effects.filter((e) => e.type === "DispatchTask")).toEqual([
			{ type: "DispatchTask", taskId: "p/t3", attempt: 1, delaySeconds: 0 },
		]);
		// The same history as a dispatched job: created, started, succeeded.
		expect(run.events.map((e) => `${e.type} ${e.node ?? ""}`.trim())).toEqual([
			"ProcessStarted",
			"TaskCreated a",
			"TaskStarted a",
			"TaskSucceeded a",
			"TaskCreated b",
			"TaskStarted b",
			"TaskSucceeded b",
			"TaskCreated c",
		]);
	});

	it("T9 ends a process exactly as the queue would: same tasks, order, statuses and results", () => {
		const conference = shippedWorkflows.find((w) => w.key === "conference-automated");
		if (!conference) throw new Error("the shipped conference-automated workflow is missing");
		const allInline: WorkflowDefinition = {
			...conference,
			nodes: conference.nodes.map((node) => ({ ...node, inline: true })),
		};
		const queued = runToEnd(new ProcessRun(compile(conference), { params: { loops: 2 } }).start());
		const inlined = new ProcessRun(compile(allInline), { params: { loops: 2 } }).start();
		expect(inlined.state.status).toBe("SUCCESS");
		const shape = (r: ProcessRun) =>
			r.state.tasks.map((x) => [x.id, x.node, x.status, x.result, x.firedBy.length]);
		expect(shape(inlined)).toEqual(shape(queued));
		expect(inlined.state.results).toEqual(queued.state.results);
		expect(inlined.state.tasks.length).toBeGreaterThan(10);
	});

	it("T9 fails a throwing inline task at once (a pure function fails the same way again) and routes its failure (R3)", () => {
		const wf = build(
			[
				n("a", { start: true, task: "divide", inline: true, params: { a: 1, b: 0 } }),
				n("ok", { end: true }),
				n("recover", { end: true }),
			],
			[t("a", "ok"), t("a", "recover", { on: "failure" })],
		);
		const run = new ProcessRun(wf).start();
		expect(run.task("a")).toMatchObject({
			status: "FAILURE",
			attempt: 1,
			error: { message: "division by zero", code: "inline_task_failed" },
		});
		expect(run.statuses()).toEqual(["a:FAILURE", "recover:PENDING"]);
	});

	it("T9 fails an inline task whose runInline returns a promise, instead of losing its result", () => {
		const wf = build(
			[n("a", { start: true, task: "late-answer", inline: true }), n("b", { end: true })],
			[t("a", "b")],
		);
		const run = new ProcessRun(wf).start();
		expect(run.task("a")).toMatchObject({
			status: "FAILURE",
			error: { code: "inline_task_failed", message: expect.stringContaining("synchronous") },
		});
	});

	it("T9 with P7: a loop of inline nodes stops at the step budget inside one command", () => {
		const looping = build(
			[
				inline("a", { start: true, join: "xor" }),
				inline("b", { split: "xor" }),
				inline("c", { end: true }),
			],
			[t("a", "b"), t("b", "a", { condition: "=true" }), t("b", "c", { condition: "=false" })],
			{ stepBudget: 50 },
		);
		const run = new ProcessRun(looping).start();
		expect(run.state.stepsUsed).toBe(50);
		expect(run.state.incidents).toMatchObject([{ kind: "step_budget" }]);
		expect(run.state.status).toBe("STARTED");
	});

	it("T9 with T2: an inline node missing params waits for a person, then runs in the submit step", () => {
		const wf = build(
			[
				n("sum", { start: true, task: "add", inline: true, params: { a: 4 } }),
				n("done", { end: true }),
			],
			[t("sum", "done")],
		);
		const run = new ProcessRun(wf).start();
		expect(run.task("sum")).toMatchObject({
			status: "PENDING",
			awaitingInput: true,
			requiredFields: ["b"],
		});
		run.submit("sum", { b: 5 });
		expect(run.task("sum")).toMatchObject({ status: "SUCCESS", result: 9 });
		expect(run.statuses()).toEqual(["sum:SUCCESS", "done:PENDING"]);
	});

	it("D2 reports inline on a task type that is not pure", () => {
		const result = compileWorkflow(
			definition(
				[
					n("a", { start: true, task: "http", inline: true, params: { url: "https://x.test" } }),
					n("b", { end: true, inline: true }),
				],
				[t("a", "b")],
			),
			testCatalog,
		);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.problems.map((p) => `${p.code} ${p.path}`)).toEqual([
				"NOT_INLINE_TASK_TYPE nodes[0].inline",
				"NOT_INLINE_TASK_TYPE nodes[1].inline",
			]);
		}
	});
});

function compile(def: WorkflowDefinition) {
	const result = compileWorkflow(def, testCatalog);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.workflow;
}
