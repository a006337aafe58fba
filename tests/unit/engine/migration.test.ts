// O2: migrating running processes to another version of their workflow.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTaskActive, migrateProcess, planMigration } from "../../../src/engine/index.ts";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";
import { checkArrivals, checkJoinFirings } from "../helpers/invariants.ts";

const END = { end: true, task: "dummy", inline: true } as const;

/** v1: a → (b, c) → join → end. */
const v1 = () =>
	build(
		[n("a", { start: true }), n("b", {}), n("c", {}), n("join", {}), n("end", END)],
		[t("a", "b"), t("a", "c"), t("b", "join"), t("c", "join"), t("join", "end")],
		{ version: 1 },
	);
/** v2: adds a check after the join; c renamed to "c2"; b unchanged. */
const v2 = () =>
	build(
		[
			n("a", { start: true }),
			n("b", {}),
			n("c2", {}),
			n("join", {}),
			n("check", {}),
			n("end", END),
		],
		[
			t("a", "b"),
			t("a", "c2"),
			t("b", "join"),
			t("c2", "join"),
			t("join", "check"),
			t("check", "end"),
		],
		{ version: 2 },
	);

describe("migration", () => {
	it("O2 same keys map by default; a renamed node needs the admin's mapping, named in the plan", () => {
		const run = new ProcessRun(v1()).start();
		run.complete("a");
		const plan = planMigration(v1(), v2(), run.state);
		expect(plan.blockers).toEqual([
			'task p/t3 is at "c", which version 2 does not have: map it to a node, or to nothing to revoke it',
		]);
		const mapped = planMigration(v1(), v2(), run.state, { c: "c2" });
		expect(mapped.blockers).toEqual([]);
		expect(mapped.moves).toEqual([
			{ taskId: "p/t2", from: "b", to: "b" },
			{ taskId: "p/t3", from: "c", to: "c2" },
		]);
	});

	it("O2 a process already on the target version does not migrate again (a repeated bulk step is a no-op)", () => {
		const run = new ProcessRun(v2()).start();
		run.complete("a");
		const out = migrateProcess(v2(), v2(), run.state, {}, { now: run.now + 1 }, admin);
		expect(out.ok).toBe(false);
		expect(out.plan.blockers).toEqual(["the process is already on version 2"]);
	});

	it("O2 tokens move to the transitions between the mapped nodes, and the process runs on in v2", () => {
		const run = new ProcessRun(v1()).start();
		run.complete("a").complete("b");
		expect(run.state.arrivals).toHaveLength(1);
		const out = migrateProcess(v1(), v2(), run.state, { c: "c2" }, { now: run.now + 1 }, admin);
		if (!out.ok) throw new Error(out.plan.blockers.join("; "));
		expect(out.plan.tokens).toEqual([{ arrival: "a3", from: "b→join", to: "b→join" }]);
		expect(out.events.at(-1)).toMatchObject({ type: "ProcessMigrated", actor: "admin" });
		const after = new ProcessRun(v2());
		after.state = out.state;
		after.complete("c2");
		after.complete("join");
		expect(after.task("check").status).toBe("PENDING");
		after.complete("check");
		expect(after.state.status).toBe("SUCCESS");
	});

	it("O2 a node mapped to nothing has its active tasks revoked; a changed task type blocks", () => {
		const run = new ProcessRun(v1()).start();
		run.complete("a");
		const out = migrateProcess(v1(), v2(), run.state, { c: null }, { now: run.now + 1 }, admin);
		expect(out.ok).toBe(true);
		if (out.ok) {
			expect(out.plan.revoked).toEqual([{ taskId: "p/t3", node: "c" }]);
			expect(out.state.tasks.find((x) => x.id === "p/t3")?.status).toBe("REVOKED");
		}
		const other = build(
			[n("a", { start: true }), n("b", { task: "ask" }), n("c2", {}), n("join", {}), n("end", END)],
			[t("a", "b"), t("a", "c2"), t("b", "join"), t("c2", "join"), t("join", "end")],
			{ version: 3 },
		);
		expect(planMigration(v1(), other, run.state, { c: "c2" }).blockers).toEqual([
			'task p/t2 runs "job" at "b"; "b" runs "ask"',
		]);
	});

	it("O2 a dry run equals the applied result; migration preserves tokens and never creates a task twice", () => {
		fc.assert(
			fc.property(fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 3 }), (steps) => {
				const run = new ProcessRun(v1()).start();
				for (const node of steps) {
					const task = run.state.tasks.findLast((x) => x.node === node && isTaskActive(x));
					if (task) run.complete(node);
				}
				const dry = migrateProcess(v1(), v2(), run.state, { c: "c2" }, { now: 5_000 }, admin);
				const applied = migrateProcess(v1(), v2(), run.state, { c: "c2" }, { now: 5_000 }, admin);
				expect(JSON.stringify(dry)).toBe(JSON.stringify(applied));
				if (!applied.ok) return;
				expect(applied.state.tasks.length).toBe(run.state.tasks.length);
				expect(applied.state.arrivals.map((a) => a.id)).toEqual(
					run.state.arrivals.map((a) => a.id),
				);
				checkArrivals(v2(), applied.state, new Set());
				checkJoinFirings(v2(), applied.state);
			}),
			{ numRuns: 50 },
		);
	});

	it("O2 only a running process migrates, and only by an admin", () => {
		const run = new ProcessRun(v1()).start();
		expect(planMigration(v1(), v2(), { ...run.state, status: "SUCCESS" }).blockers[0]).toMatch(
			/only a running process/,
		);
		const out = migrateProcess(v1(), v2(), run.state, {}, { now: 1 }, { id: "x", roles: [] });
		expect(out.ok).toBe(false);
	});
});
