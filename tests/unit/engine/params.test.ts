import { describe, expect, it } from "vitest";
import { mergedParams } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

describe("params", () => {
	it("T1 merges workflow < node < process < task < submitted values, into a fresh object", () => {
		const wf = build(
			[n("a", { start: true, end: true, task: "needs-x", params: { x: 2, n: "node", w: "node" } })],
			[],
			{
				params: { w: "workflow", p: "workflow", only: "workflow" },
				startForm: { p: { label: "P" }, x: { label: "X", type: "integer" } },
			},
		);
		const run = new ProcessRun(wf, { params: { p: "process", x: 3 } }).start();
		const task = run.task("a");
		const merged = mergedParams(wf, run.state, task.id);
		expect(merged).toEqual({ w: "node", p: "process", only: "workflow", n: "node", x: 3 });
		merged.x = 99;
		expect(mergedParams(wf, run.state, task.id).x).toBe(3);
		expect(wf.definition.params).toEqual({ w: "workflow", p: "workflow", only: "workflow" });
	});

	it("T1 lets submitted values win over every level", () => {
		const wf = build([n("a", { start: true, end: true, task: "needs-x" })], [], {
			params: { y: 1 },
			startForm: { x: { label: "X", type: "integer" } },
		});
		const run = new ProcessRun(wf, { params: { x: 11 } }).start();
		expect(run.task("a").requiredFields).toEqual(["x"]);
		run.submit("a", { x: 4 });
		expect(mergedParams(wf, run.state, run.task("a").id).x).toBe(4);
	});

	it("T2 dispatches a task whose merged params pass its schema", () => {
		const wf = build([n("a", { start: true, end: true, task: "needs-x", params: { x: 5 } })], []);
		const run = new ProcessRun(wf).start();
		expect(run.task("a")).toMatchObject({
			status: "PENDING",
			requiredFields: [],
			awaitingInput: false,
		});
		expect(run.effectTypes()).toEqual(["DispatchTask"]);
	});

	it("T2 keeps a task whose params fail PENDING for input, with the fields still required", () => {
		const wf = build(
			[n("a", { start: true, role: "r", task: "needs-x" }), n("b", { end: true })],
			[t("a", "b")],
		);
		// T3: the adapter answers PickAssignee (nobody here); then the input is requested.
		const run = new ProcessRun(wf, {}, { autoAssign: true }).start();
		expect(run.task("a")).toMatchObject({
			status: "PENDING",
			requiredFields: ["x"],
			awaitingInput: true,
		});
		expect(run.effects).toEqual([
			{ type: "PickAssignee", taskId: "p/t1", role: "r" },
			{ type: "RequestInput", taskId: "p/t1", role: "r", requiredFields: ["x"] },
		]);
		run.submit("a", { x: 4 }, admin);
		expect(run.effectTypes()).toEqual(["DispatchTask"]);
		expect(run.reply).toBeUndefined();
		run.send({ type: "ClaimTask", taskId: "p/t1", attempt: 1 });
		expect(run.reply).toEqual({ run: true, taskType: "needs-x", params: { x: 4 } });
	});

	it("T2 uses process params to decide: the same node runs at once when the process supplies the value", () => {
		const wf = build([n("a", { start: true, end: true, task: "needs-x" })], [], {
			startForm: { x: { label: "X", type: "integer" } },
		});
		const run = new ProcessRun(wf, { params: { x: 1 } }).start();
		expect(run.task("a").awaitingInput).toBe(false);
		expect(run.effectTypes()).toEqual(["DispatchTask"]);
	});
});
