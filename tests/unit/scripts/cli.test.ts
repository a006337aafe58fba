// The simulator and the validator, spawned as a user would run them: clean one-line errors.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url).pathname;

/**
 * Each test starts Node a few times (type stripping included): on a busy two-core machine that
 * alone took past vitest's 5 s default. This bounds a hang; it is not a speed check.
 */
const SPAWNING = { timeout: 60_000 };

function run(script: string, args: string[]) {
	const result = spawnSync(
		process.execPath,
		["--experimental-strip-types", "--no-warnings", `scripts/${script}.ts`, ...args],
		{
			cwd: root,
			encoding: "utf8",
		},
	);
	return { code: result.status, out: result.stdout, err: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "baton-cli-"));
const badJson = join(dir, "bad.json");
writeFileSync(badJson, "{ nope");
const mistakes = join(dir, "mistakes.json");
writeFileSync(
	mistakes,
	JSON.stringify({
		key: "broken",
		name: "Broken",
		roles: [{ key: "staff" }],
		nodes: [
			{ key: "a", task: "teleport" },
			{ key: "a", task: "dummy", role: "ghosts" },
			{ key: "b", task: "add", params: { a: "two" } },
		],
		transitions: [
			{ from: "a", to: "c" },
			{ from: "b", to: "a", condition: "= result >" },
		],
	}),
);

const noStackTrace = (text: string) =>
	expect(text).not.toMatch(/\n\s+at |node:internal|\.ts:\d+:\d+/);

describe("npm run validate", SPAWNING, () => {
	it("D2 accepts the shipped workflows", () => {
		const r = run("validate", ["src/workflows/conference.json", "src/workflows/loop.json"]);
		expect(r.code).toBe(0);
		expect(r.out).toContain("src/workflows/conference.json: ok (conference v1)");
	});

	it("D2 lists every mistake with its path and exits 1", () => {
		const r = run("validate", [mistakes]);
		expect(r.code).toBe(1);
		for (const expected of [
			"NO_START_NODE at nodes",
			"DUPLICATE_NODE_KEY at nodes[1].key",
			"UNDECLARED_ROLE at nodes[1].role",
			"UNKNOWN_NODE at transitions[0].to",
			"CONDITION_SYNTAX at transitions[1].condition",
			"UNKNOWN_TASK_TYPE at nodes[0].task",
			"INVALID_NODE_PARAMS at nodes[2].params.a",
		]) {
			expect(r.out).toContain(expected);
		}
		noStackTrace(r.out + r.err);
	});

	it("gives one clean line for a missing file or bad JSON", () => {
		const missing = run("validate", [join(dir, "nope.json")]);
		expect(missing.code).toBe(1);
		expect(missing.err.trim()).toBe(`${join(dir, "nope.json")}: no such file`);
		const bad = run("validate", [badJson]);
		expect(bad.err.trim().split("\n")).toHaveLength(1);
		expect(bad.err).toContain("not valid JSON");
		noStackTrace(bad.err);
	});
});

describe("npm run simulate", SPAWNING, () => {
	it("prints the conference trace with the loop taken twice", () => {
		const r = run("simulate", [
			"src/workflows/conference.json",
			"--script",
			"tests/fixtures/scripts/conference.json",
		]);
		expect(r.code).toBe(0);
		const lines = r.out.split("\n");
		expect(lines[0]).toBe("Organizing a conference (conference v1)");
		expect(lines.filter((l) => / receive_subscriptions +SUCCESS/.test(l))).toHaveLength(3);
		expect(r.out).toMatch(/14 +t14 +start_conference +SUCCESS/);
		expect(r.out).toContain("process SUCCESS");
	});

	it("shows failures, retries and the failed process", () => {
		const script = join(dir, "fail.json");
		writeFileSync(script, JSON.stringify({ one: { fail: "disk full" } }));
		const r = run("simulate", ["src/workflows/split-join.json", "--script", script]);
		expect(r.out).toMatch(/one +FAILURE +error: disk full \(attempt 4\)/);
		expect(r.out).toContain("process FAILURE");
	});

	it("gives clean errors for a missing file, bad JSON, an invalid definition and a bad script", () => {
		for (const args of [
			[join(dir, "none.json")],
			[badJson],
			[mistakes],
			["src/workflows/loop.json", "--script", badJson],
			[],
		]) {
			const r = run("simulate", args);
			expect(r.code, args.join(" ")).not.toBe(0);
			expect(r.err.length).toBeGreaterThan(0);
			noStackTrace(r.err);
		}
		expect(run("simulate", [mistakes]).err).toContain("UNKNOWN_TASK_TYPE at nodes[0].task");
		const unknownNode = join(dir, "unknown-node.json");
		writeFileSync(unknownNode, JSON.stringify({ nowhere: 1 }));
		expect(run("simulate", ["src/workflows/loop.json", "--script", unknownNode]).err).toContain(
			'no node "nowhere"',
		);
	});
});
