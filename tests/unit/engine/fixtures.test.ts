// The pattern corpus: each fixture runs through `step` until nothing is left to do; its trace must
// match the .trace file, and the state must survive a JSON round trip after every step.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileWorkflow, simulate, traceOf } from "../../../src/engine/index.ts";
import { pureJobRunner } from "../../../src/tasks/simulation-jobs.ts";
import { testCatalog } from "../helpers/catalog.ts";
import { ArrivalLedger, checkOrJoinFirings } from "../helpers/invariants.ts";

const dir = new URL("../../fixtures/workflows/", import.meta.url);
const fixtures = readdirSync(dir)
	.filter((f) => f.endsWith(".json") && !f.endsWith(".script.json"))
	.map((f) => f.slice(0, -".json".length));

const read = (name: string) => readFileSync(new URL(name, dir), "utf8");

describe("fixture corpus", () => {
	it("covers the Workflow Patterns and our own cases", () => {
		expect(fixtures).toEqual(
			expect.arrayContaining([
				"sequence",
				"parallel-split",
				"synchronization",
				"exclusive-choice",
				"simple-merge",
				"missing-params",
				"retry-then-success",
				"retries-exhausted",
				"revoke-after-split",
				"loop-xor-merge",
				"or-join-loop",
			]),
		);
	});

	for (const name of fixtures) {
		it(`runs ${name} as its trace says`, () => {
			const compiled = compileWorkflow(JSON.parse(read(`${name}.json`)), testCatalog);
			if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
			const wf = compiled.workflow;
			const script = existsSync(new URL(`${name}.script.json`, dir))
				? JSON.parse(read(`${name}.script.json`))
				: {};
			const ledger = new ArrivalLedger();
			let steps = 0;
			const result = simulate(wf, {
				script,
				processId: name,
				runJob: pureJobRunner(testCatalog),
				onStep: (_command, outcome) => {
					steps += 1;
					expect(JSON.parse(JSON.stringify(outcome.state))).toEqual(outcome.state);
					ledger.check(wf, outcome.state, outcome.events);
					const created = new Set(
						outcome.events.filter((e) => e.type === "TaskCreated").map((e) => e.taskId ?? ""),
					);
					checkOrJoinFirings(wf, outcome.state, created);
				},
			});
			expect(result.errors).toEqual([]);
			expect(steps).toBeGreaterThan(1);
			expect(traceOf(result.state)).toEqual(read(`${name}.trace`).trim().split("\n"));
		});
	}
});
