// R5: FEEL names process variables directly, as modelers write them (`= amount > 1000`).
import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { ProcessRun } from "../helpers/harness.ts";

const END = { end: true, task: "dummy", inline: true } as const;

function routed() {
	return build(
		[n("claim", { start: true, split: "xor" }), n("review", END), n("pay", END)],
		[
			t("claim", "review", { condition: '= amount > 1000 and region = "EU"' }),
			t("claim", "pay", { condition: "= not(amount > 1000)" }),
		],
		{ startForm: { region: { label: "Region", type: "text" } } },
	);
}

describe("process variables", () => {
	it("R5 a condition names a process param and a field of an earlier result directly", () => {
		const big = new ProcessRun(routed(), { params: { region: "EU" } }).start();
		big.complete("claim", { amount: 1200 });
		expect(big.statuses()).toEqual(["claim:SUCCESS", "review:SUCCESS"]);
		const small = new ProcessRun(routed(), { params: { region: "EU" } }).start();
		small.complete("claim", { amount: 10 });
		expect(small.statuses()).toEqual(["claim:SUCCESS", "pay:SUCCESS"]);
	});

	it("R5 later results win over earlier ones and over params; result, params and process are reserved", () => {
		const wf = build(
			[n("first", { start: true }), n("second", { split: "xor" }), n("high", END), n("low", END)],
			[
				t("first", "second"),
				t("second", "high", { condition: "= level > 5 and result.level = 9" }),
				t("second", "low", { condition: "= level <= 5" }),
			],
			{ params: { level: 1 } },
		);
		const run = new ProcessRun(wf).start();
		run.complete("first", { level: 3, result: 99 });
		run.complete("second", { level: 9 });
		// level 9 (the later result) wins; `result` is the routed task's own result, not 99.
		expect(run.statuses().at(-1)).toBe("high:SUCCESS");
	});

	it("R5 expressions in settings name variables too (a timer from a submitted value)", () => {
		const wf = build(
			[
				n("ask", { start: true }),
				n("pause", { task: "wait", params: { duration: "= waitSeconds" } }),
				n("done", END),
			],
			[t("ask", "pause"), t("pause", "done")],
		);
		const run = new ProcessRun(wf).start();
		run.complete("ask", { waitSeconds: 30 });
		expect(run.task("pause").timerDueAt).toBe(run.now + 30_000);
	});

	it("R5 a name no variable holds is null: the condition is false, not an error", () => {
		const wf = build(
			[n("a", { start: true, split: "xor" }), n("b", END), n("c", END)],
			[t("a", "b", { condition: "= missing = true" }), t("a", "c")],
		);
		const run = new ProcessRun(wf).start();
		run.complete("a", { other: 1 });
		expect(run.statuses()).toEqual(["a:SUCCESS", "c:SUCCESS"]);
	});
});
