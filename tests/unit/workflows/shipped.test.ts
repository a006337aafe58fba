import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileWorkflow, mustCompile, simulate, traceOf } from "../../../src/engine/index.ts";
import { defaultRegistry } from "../../../src/tasks/registry.ts";
import { pureJobRunner } from "../../../src/tasks/simulation-jobs.ts";
import { shippedWorkflows } from "../../../src/workflows/index.ts";
import { ArrivalLedger } from "../helpers/invariants.ts";

const byKey = (key: string) => {
	const def = shippedWorkflows.find((w) => w.key === key);
	if (!def) throw new Error(key);
	return mustCompile(def, defaultRegistry);
};

const conferenceScript = JSON.parse(
	readFileSync(new URL("../../fixtures/scripts/conference.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

const conferenceTrace = [
	"call_for_papers SUCCESS",
	"search_location SUCCESS",
	"collect_papers SUCCESS",
	"publicize SUCCESS",
	"mailing SUCCESS",
	"newspapers SUCCESS",
	"poster SUCCESS",
	"receive_subscriptions SUCCESS",
	"wait_starting_day SUCCESS",
	"receive_subscriptions SUCCESS",
	"wait_starting_day SUCCESS",
	"receive_subscriptions SUCCESS",
	"wait_starting_day SUCCESS",
	"start_conference SUCCESS",
	"process SUCCESS",
];

describe("shipped workflows", () => {
	it("D2 all compile against the built-in task types with no problem and no warning", () => {
		expect(shippedWorkflows.map((w) => w.key)).toEqual([
			"conference",
			"conference-automated",
			"loop",
			"split-join",
			"two-plus-two",
			"purchase-approval",
			"supplier-contract",
		]);
		for (const def of shippedWorkflows) {
			const result = compileWorkflow(def, defaultRegistry);
			expect(result.ok ? result.warnings : result.problems, def.key).toEqual([]);
		}
	});

	it("J4 runs the conference as drawn: the OR join waits for the three channels, the loop is taken twice", () => {
		const wf = byKey("conference");
		const ledger = new ArrivalLedger();
		const result = simulate(wf, {
			script: conferenceScript,
			runJob: pureJobRunner(defaultRegistry),
			onStep: (_c, outcome) => {
				expect(JSON.parse(JSON.stringify(outcome.state))).toEqual(outcome.state);
				ledger.check(wf, outcome.state, outcome.events);
			},
		});
		expect(result.errors).toEqual([]);
		expect(traceOf(result.state)).toEqual(conferenceTrace);
		const firstSubscriptions = result.state.tasks.find((t) => t.node === "receive_subscriptions");
		expect(firstSubscriptions?.firedBy.map((a) => a.fromTask)).toEqual([
			"sim/t5",
			"sim/t6",
			"sim/t7",
		]);
		expect(
			result.state.tasks.filter((t) => t.node === "receive_subscriptions").map((t) => t.result),
		).toEqual([{ subscriptions: 120 }, { subscriptions: 260 }, { subscriptions: 390 }]);
		expect(result.state.tasks.find((t) => t.node === "collect_papers")?.role).toBe("accounting");
	});

	it("runs the automated conference with no person, taking the loop twice", () => {
		const result = simulate(byKey("conference-automated"));
		expect(traceOf(result.state)).toEqual(conferenceTrace);
		const once = simulate(byKey("conference-automated"), { params: { loops: 0 } });
		expect(traceOf(once.state).filter((l) => l.startsWith("wait_starting_day"))).toHaveLength(1);
	});

	it("runs the original's loop: Fail goes round again, OK ends", () => {
		const result = simulate(byKey("loop"), {
			script: { middle: [{ answer: "Fail" }, { answer: "OK" }] },
			runJob: pureJobRunner(defaultRegistry),
		});
		expect(traceOf(result.state)).toEqual([
			"first SUCCESS",
			"middle SUCCESS",
			"first SUCCESS",
			"middle SUCCESS",
			"last SUCCESS",
			"process SUCCESS",
		]);
	});

	it("runs two plus two: a person supplies b; 4 is a win, 6 a loss, each into the XOR-joined end", () => {
		const run = (b: number) =>
			traceOf(
				simulate(byKey("two-plus-two"), {
					script: { add_2_and_something: { b } },
					runJob: pureJobRunner(defaultRegistry),
				}).state,
			);
		expect(run(2)).toEqual([
			"add_1_and_1 SUCCESS",
			"add_2_and_something SUCCESS",
			"you_guessed SUCCESS",
			"game_over SUCCESS",
			"process SUCCESS",
		]);
		expect(run(4)[2]).toBe("you_lost SUCCESS");
		expect(run(5)).toEqual([
			"add_1_and_1 SUCCESS",
			"add_2_and_something SUCCESS",
			"process STARTED",
		]);
	});

	it("runs split-join and the TypeScript purchase approval (FEEL conditions)", () => {
		expect(traceOf(simulate(byKey("split-join")).state)).toHaveLength(5);
		const big = simulate(byKey("purchase-approval"), {
			script: { request: { item: "Server", total: 5000 }, review: { approved: true } },
		});
		expect(traceOf(big.state)).toEqual([
			"request SUCCESS",
			"review SUCCESS",
			"approved SUCCESS",
			"process SUCCESS",
		]);
		const small = simulate(byKey("purchase-approval"), {
			script: { request: { item: "Pens", total: 50 } },
		});
		expect(traceOf(small.state)).toEqual([
			"request SUCCESS",
			"approved SUCCESS",
			"process SUCCESS",
		]);
		// T10: the region is the author's; a starter who names it is refused, not waved through.
		expect(() =>
			simulate(byKey("purchase-approval"), {
				params: { region: "US" },
				script: { request: { item: "Server", total: 5000 } },
			}),
		).toThrow(/region/);
	});
});
