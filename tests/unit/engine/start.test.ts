import { describe, expect, it } from "vitest";
import { processCreatedEvent } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

describe("start", () => {
	const wf = build(
		[
			n("a", { start: true }),
			n("b", { start: true, join: "and" }),
			n("c", { end: true, join: "and" }),
		],
		[t("a", "b"), t("a", "c"), t("b", "c")],
		{ priority: 4, startForm: { x: { label: "X", type: "integer" } } },
	);

	it("S1 creates a PENDING process with no tasks, its params, and the workflow's priority when given null", () => {
		const run = new ProcessRun(wf, { params: { x: 1 }, priority: null });
		expect(run.state.status).toBe("PENDING");
		expect(run.state.tasks).toEqual([]);
		expect(run.state.params).toEqual({ x: 1 });
		expect(run.state.priority).toBe(4);
		expect(new ProcessRun(wf, { priority: 0 }).state.priority).toBe(0);
		expect(processCreatedEvent(run.state)).toMatchObject({
			type: "ProcessCreated",
			at: run.state.createdAt,
		});
	});

	it("S2 starts: STARTED with a start date, one task per start node in definition order, joins ignored", () => {
		const run = new ProcessRun(wf).start();
		expect(run.state.status).toBe("STARTED");
		expect(run.state.startedAt).toBe(run.now);
		expect(run.statuses()).toEqual(["a:PENDING", "b:PENDING"]);
		expect(run.effects).toEqual([
			{ type: "DispatchTask", taskId: "p/t1", attempt: 1, delaySeconds: 0 },
			{ type: "DispatchTask", taskId: "p/t2", attempt: 1, delaySeconds: 0 },
		]);
		expect(run.events.map((e) => e.type)).toEqual(["ProcessStarted", "TaskCreated", "TaskCreated"]);
	});

	it("S2 refuses a second start with already_started, and the start date is set once", () => {
		const run = new ProcessRun(wf).start();
		const startedAt = run.state.startedAt;
		const again = run.try({ type: "StartProcess" });
		expect(again).toMatchObject({ ok: false, error: { code: "already_started" } });
		expect(run.state.tasks).toHaveLength(2);
		expect(run.state.startedAt).toBe(startedAt);
	});

	it("S2 refuses a workflow with no start node with no_start_nodes", () => {
		const noStart = { ...wf, startNodes: [] };
		const run = new ProcessRun(noStart);
		expect(run.try({ type: "StartProcess" })).toMatchObject({
			ok: false,
			error: { code: "no_start_nodes" },
		});
		expect(run.state.status).toBe("PENDING");
	});

	it("S3 a repeated start (a redelivered webhook) starts nothing twice", () => {
		const run = new ProcessRun(wf).start();
		const tasks = run.state.tasks.length;
		for (let i = 0; i < 3; i++) expect(run.try({ type: "StartProcess" }).ok).toBe(false);
		expect(run.state.tasks).toHaveLength(tasks);
	});
});
