// C1 (embedded subprocesses), M1 (multi-instance) and X1 (error end events).
import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

const END = { end: true, task: "dummy", inline: true } as const;

/** review: a scope of two steps (check → sign), with a boundary timer over the whole group. */
function scoped(extra: Parameters<typeof n>[1] = {}) {
	return build(
		[
			n("review", {
				start: true,
				task: "scope",
				nodes: [n("check", { start: true }), n("sign", { end: true })],
				transitions: [t("check", "sign")],
				...extra,
			}),
			n("archive", END),
			n("tooSlow", { attachedTo: "review", task: "wait", params: { duration: "1d" } }),
			n("giveUp", END),
		],
		[t("review", "archive"), t("tooSlow", "giveUp")],
	);
}

describe("scopes", () => {
	it("C1 a scope runs its inner flow and completes once, with its end's result, when that ends", () => {
		const run = new ProcessRun(scoped()).start();
		expect(run.statuses()).toEqual(["review:STARTED", "check:PENDING", "tooSlow:STARTED"]);
		const review = run.task("review");
		expect(run.task("check").scope).toBe(review.id);
		run.complete("check");
		expect(run.task("sign").scope).toBe(review.id);
		run.complete("sign", "signed");
		expect(run.task("review")).toMatchObject({ status: "SUCCESS", result: "signed" });
		expect(run.task("tooSlow").status).toBe("REVOKED");
		expect(run.state.status).toBe("SUCCESS");
		expect(run.events.filter((e) => e.type === "ScopeCompleted")).toHaveLength(1);
	});

	it("C1 an interrupting boundary on a scope revokes every task inside it and its tokens", () => {
		const run = new ProcessRun(scoped()).start();
		run.complete("check");
		run.now = run.task("tooSlow").timerDueAt as number;
		run.send({ type: "FireTimer", taskId: run.task("tooSlow").id });
		expect(run.statuses()).toEqual([
			"review:REVOKED",
			"check:SUCCESS",
			"tooSlow:SUCCESS",
			"sign:REVOKED",
			"giveUp:SUCCESS",
		]);
		expect(run.state.status).toBe("SUCCESS");
	});

	it("C1 a failure inside a scope fails the scope, where an error boundary may catch it", () => {
		const wf = build(
			[
				n("review", {
					start: true,
					task: "scope",
					nodes: [n("check", { start: true }), n("sign", { end: true })],
					transitions: [t("check", "sign")],
				}),
				n("archive", END),
				n("broken", { attachedTo: "review", task: "error" }),
				n("report", END),
			],
			[t("review", "archive"), t("broken", "report")],
		);
		const run = new ProcessRun(wf).start();
		run.fail("check", "bad data", false);
		expect(run.statuses()).toEqual([
			"review:FAILURE",
			"check:FAILURE",
			"broken:SUCCESS",
			"report:SUCCESS",
		]);
		expect(run.state.status).toBe("SUCCESS");
		expect(run.state.incidents).toEqual([]);
	});

	it("C1 joins count only the tokens of their own scope instance", () => {
		const wf = build(
			[
				n("each", {
					start: true,
					task: "scope",
					multiInstance: { items: "[1, 2]" },
					nodes: [
						n("fork", { start: true, task: "dummy", inline: true }),
						n("a", {}),
						n("b", {}),
						n("join", { end: true, task: "dummy", inline: true }),
					],
					transitions: [t("fork", "a"), t("fork", "b"), t("a", "join"), t("b", "join")],
				}),
				n("done", END),
			],
			[t("each", "done")],
		);
		const run = new ProcessRun(wf).start();
		const [a1, a2] = run.tasks("a");
		const [b1] = run.tasks("b");
		for (const task of [a1, a2, b1]) {
			run.send({ type: "ClaimTask", taskId: task?.id ?? "", attempt: 1 });
			run.send({ type: "CompleteTask", taskId: task?.id ?? "", attempt: 1, result: null });
		}
		// a and b of the first instance joined; the second instance's a waits for its own b.
		expect(run.tasks("join")).toHaveLength(1);
		expect(run.task("join").scope).toBe(a1?.scope);
		run.complete("b");
		expect(run.tasks("join")).toHaveLength(2);
		expect(run.state.status).toBe("SUCCESS");
	});
});

describe("multi-instance", () => {
	it("M1 runs once per item in parallel and collects results in item order", () => {
		const wf = build(
			[
				n("review", {
					start: true,
					multiInstance: { items: '["ann", "bob", "cy"]', as: "reviewer" },
				}),
				n("done", END),
			],
			[t("review", "done")],
		);
		const run = new ProcessRun(wf).start();
		const instances = run.tasks("review").filter((x) => x.instanceOf !== undefined);
		expect(instances.map((x) => x.params)).toEqual([
			{ reviewer: "ann", loopIndex: 0 },
			{ reviewer: "bob", loopIndex: 1 },
			{ reviewer: "cy", loopIndex: 2 },
		]);
		// Completed out of order, collected in item order.
		for (const [i, result] of [
			[2, "c"],
			[0, "a"],
			[1, "b"],
		] as const) {
			const task = instances[i];
			run.send({ type: "ClaimTask", taskId: task?.id ?? "", attempt: 1 });
			run.send({ type: "CompleteTask", taskId: task?.id ?? "", attempt: 1, result });
		}
		const body = run.tasks("review")[0];
		expect(body).toMatchObject({ status: "SUCCESS", result: ["a", "b", "c"] });
		expect(run.state.status).toBe("SUCCESS");
		expect(run.events.filter((e) => e.type === "InstancesCompleted")).toHaveLength(1);
	});

	it("M1 a completion condition ends the node early and revokes the rest", () => {
		const wf = build(
			[
				n("review", {
					start: true,
					multiInstance: {
						items: "[1, 2, 3]",
						completion: 'count(results[item = "yes"]) >= 2',
					},
				}),
				n("done", END),
			],
			[t("review", "done")],
		);
		const run = new ProcessRun(wf).start();
		const [, one, two, three] = run.tasks("review");
		for (const task of [one, three]) {
			run.send({ type: "ClaimTask", taskId: task?.id ?? "", attempt: 1 });
			run.send({ type: "CompleteTask", taskId: task?.id ?? "", attempt: 1, result: "yes" });
		}
		expect(run.tasks("review").map((x) => x.status)).toEqual([
			"SUCCESS",
			"SUCCESS",
			"REVOKED",
			"SUCCESS",
		]);
		expect(run.tasks("review")[0]?.result).toEqual(["yes", null, "yes"]);
		expect(two).toBeDefined();
		expect(run.state.status).toBe("SUCCESS");
	});

	it("M1 sequential instances run one after another", () => {
		const wf = build(
			[
				n("step", { start: true, multiInstance: { items: "[10, 20]", sequential: true } }),
				n("done", END),
			],
			[t("step", "done")],
		);
		const run = new ProcessRun(wf).start();
		expect(run.tasks("step")).toHaveLength(2);
		run.complete("step", 1);
		expect(run.tasks("step")).toHaveLength(3);
		expect(run.task("step").params).toEqual({ item: 20, loopIndex: 1 });
		run.complete("step", 2);
		expect(run.tasks("step")[0]?.result).toEqual([1, 2]);
	});

	it("M1 a collection that is not a list fails the node with NOT_A_LIST; an empty one succeeds", () => {
		const bad = build(
			[n("step", { start: true, end: true, multiInstance: { items: "params.n" } })],
			[],
			{ params: { n: 5 } },
		);
		const run = new ProcessRun(bad).start();
		expect(run.task("step")).toMatchObject({ status: "FAILURE", error: { code: "NOT_A_LIST" } });
		const empty = build(
			[n("step", { start: true, end: true, multiInstance: { items: "[]" } })],
			[],
		);
		const run2 = new ProcessRun(empty).start();
		expect(run2.task("step")).toMatchObject({ status: "SUCCESS", result: [] });
		expect(run2.state.status).toBe("SUCCESS");
	});

	it("M1 an instance that fails fails the body; its other instances are revoked", () => {
		const wf = build(
			[n("step", { start: true, multiInstance: { items: "[1, 2]" } }), n("done", END)],
			[t("step", "done")],
		);
		const run = new ProcessRun(wf).start();
		const first = run.tasks("step")[1];
		run.send({ type: "ClaimTask", taskId: first?.id ?? "", attempt: 1 });
		run.send({
			type: "FailTask",
			taskId: first?.id ?? "",
			attempt: 1,
			error: { message: "no" },
			retryable: false,
		});
		expect(run.tasks("step").map((x) => x.status)).toEqual(["FAILURE", "FAILURE", "REVOKED"]);
		expect(run.state.status).toBe("FAILURE");
	});

	it("M1 an admin's revoke of an instance counts it as ended with no result", () => {
		const wf = build(
			[n("step", { start: true, multiInstance: { items: "[1, 2]" } }), n("done", END)],
			[t("step", "done")],
		);
		const run = new ProcessRun(wf).start();
		run.send({ type: "RevokeTask", taskId: run.tasks("step")[1]?.id ?? "", actor: admin });
		run.complete("step", "ok");
		expect(run.tasks("step")[0]).toMatchObject({ status: "SUCCESS", result: [null, "ok"] });
	});
});

describe("error end events", () => {
	it("X1 an error end ends its scope with its code, for a boundary on the scope to catch", () => {
		const wf = build(
			[
				n("check", {
					start: true,
					task: "scope",
					nodes: [
						n("inspect", { start: true, split: "xor" }),
						n("ok", END),
						n("reject", { end: true, task: "error", params: { code: "REJECTED" } }),
					],
					transitions: [t("inspect", "ok", { condition: "ok" }), t("inspect", "reject")],
				}),
				n("pay", END),
				n("rejected", { attachedTo: "check", task: "error", params: { code: "REJECTED" } }),
				n("refund", END),
			],
			[t("check", "pay"), t("rejected", "refund")],
		);
		const run = new ProcessRun(wf).start();
		run.complete("inspect", "bad");
		expect(run.statuses()).toEqual([
			"check:FAILURE",
			"inspect:SUCCESS",
			"reject:FAILURE",
			"rejected:SUCCESS",
			"refund:SUCCESS",
		]);
		expect(run.task("rejected").result).toMatchObject({ code: "REJECTED" });
		expect(run.state.status).toBe("SUCCESS");
	});

	it("X1 an uncaught error end fails the process and passes its code to a parent", () => {
		const wf = build(
			[n("reject", { start: true, end: true, task: "error", params: { code: "NOPE" } })],
			[],
		);
		const run = new ProcessRun(wf, { parent: { processId: "q", taskId: "q/t1" } }).start();
		expect(run.state.status).toBe("FAILURE");
		expect(run.effects).toContainEqual(
			expect.objectContaining({
				type: "FinishProcess",
				status: "FAILURE",
				error: expect.objectContaining({ code: "NOPE" }),
			}),
		);
	});

	it("X1 a subprocess task fails with its child's code, and a boundary catches it", () => {
		const wf = build(
			[
				n("sub", { start: true, task: "subprocess", params: { workflow: "child" } }),
				n("done", END),
				n("nope", { attachedTo: "sub", task: "error", params: { code: "NOPE" } }),
				n("handled", END),
			],
			[t("sub", "done"), t("nope", "handled")],
		);
		const run = new ProcessRun(wf).start();
		run.send({
			type: "EndSubprocess",
			taskId: run.task("sub").id,
			status: "FAILURE",
			results: [],
			error: { message: "rejected", code: "NOPE" },
		});
		expect(run.statuses()).toEqual(["sub:FAILURE", "nope:SUCCESS", "handled:SUCCESS"]);
	});
});
