// The simulator and the validator, spawned as a user would run them: clean one-line errors.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

/** A person who approves, reminded hourly three times (non-interrupting), escalated at the due date. */
const reminded = join(dir, "reminded.json");
writeFileSync(
	reminded,
	JSON.stringify({
		key: "reminded",
		name: "Reminded",
		roles: [{ key: "finance" }],
		nodes: [
			{
				key: "approve",
				task: "ask",
				role: "finance",
				start: true,
				due: "P1D",
				params: { questions: { amount: { label: "Amount", type: "number", required: true } } },
			},
			{
				key: "remind",
				task: "wait",
				attachedTo: "approve",
				interrupting: false,
				params: { cycle: "R3/PT1H" },
			},
			{ key: "nudge", task: "dummy", inline: true },
			{ key: "escalate", task: "wait", attachedTo: "approve", params: { at: "due" } },
			{ key: "escalated", task: "dummy", end: true },
			{ key: "done", task: "dummy", end: true },
		],
		transitions: [
			{ from: "approve", to: "done" },
			{ from: "remind", to: "nudge" },
			{ from: "escalate", to: "escalated" },
		],
	}),
);
const nobodyAnswers = join(dir, "nobody-answers.json");
writeFileSync(nobodyAnswers, JSON.stringify({ approve: { never: true } }));

/** The README's example workflow, as a reader would save it. */
const readmeExample = join(dir, "expense.json");
const readme = readFileSync(join(root, "README.md"), "utf8");
const example = /```json\n(\{\n\t"key": "expense"[\s\S]*?)\n```/.exec(readme)?.[1];
if (!example) throw new Error("README.md: the expense example is gone");
writeFileSync(readmeExample, example);

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

	it("B3 --advance runs the timers on a virtual clock, and says when each fired", () => {
		const r = run("simulate", [reminded, "--script", nobodyAnswers, "--advance", "PT5H"]);
		expect(r.code).toBe(3);
		expect(r.out.match(/ remind +SUCCESS +fired at \+\dh 0m/g)).toEqual([
			" remind    SUCCESS  fired at +1h 0m",
			" remind    SUCCESS  fired at +2h 0m",
			" remind    SUCCESS  fired at +3h 0m",
		]);
		expect(r.out).toMatch(/ escalate +STARTED +due at \+1d 0h/);
		expect(r.out).toContain("virtual time: +5h 0m");
		expect(r.out).toContain("why it has not ended:");
		expect(r.out).toContain(
			"T2  `approve` waits for a person of role `finance` to fill in: amount",
		);
		expect(r.out).toContain(
			"B3  `escalate` on `approve` fires in 19h 0m (virtual time), past --advance",
		);
		// Two days on (ISO or short), the escalation at the due date has won.
		for (const advance of ["P2D", "2d"]) {
			const later = run("simulate", [reminded, "--script", nobodyAnswers, "--advance", advance]);
			expect(later.code).toBe(0);
			expect(later.out).toMatch(/ escalate +SUCCESS +fired at \+1d 0h/);
			expect(later.out).toContain("process SUCCESS");
			expect(later.out).toContain("virtual time: +1d 0h");
			expect(later.out).not.toContain("why it has not ended");
		}
	});

	it("R2 P5 says why the README's example waits: no transition matches the answer", () => {
		const r = run("simulate", [readmeExample]);
		expect(r.code).toBe(3);
		expect(r.out).toContain("process STARTED");
		const reasons = r.out.split("why it has not ended:\n")[1]?.trimEnd().split("\n");
		expect(reasons).toEqual([
			"  R2  no transition out of `approve` matches its result `answer`: expected `yes` or `no`",
			"  P5  the process is stuck: no task is active and nothing can fire",
		]);
	});

	it("refuses an --advance that is not a duration", () => {
		const r = run("simulate", [reminded, "--advance", "soon"]);
		expect(r.code).toBe(1);
		expect(r.err.trim()).toBe('--advance must be a duration such as "P2D", "PT5H" or "2d"');
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
