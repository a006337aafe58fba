// The OMG BPMN MIWG reference models (tests/fixtures/bpmn/miwg, CC BY 3.0): each one either imports,
// compiles against the built-in task types and runs in the simulator to an end, or is refused for
// constructs docs/bpmn.md lists as out of Baton's scope, by element and line. Data-dependent
// branches take the defaults docs/bpmn.md gives (the script below); a person's choice at a decision
// gateway is scripted the same way.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type BpmnImportOptions, importBpmn } from "../../../src/bpmn/import.ts";
import {
	allNodes,
	checkStartParams,
	compileWorkflow,
	type SimulationScript,
	simulate,
	type WorkflowDefinition,
} from "../../../src/engine/index.ts";
import { taskCatalog } from "../../../src/tasks/registry.ts";

const DIR = new URL("../../fixtures/bpmn/miwg/", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, DIR), "utf8");

/** Problem codes of constructs docs/bpmn.md lists as outside Baton's scope. */
const OUT_OF_SCOPE = new Set([
	"UNSUPPORTED_EVENT",
	"TIMER_WITHOUT_TIME",
	"LOOP_MARKER",
	"COMPLEX_GATEWAY",
	"MULTIPLE_EVENT",
]);

type Run = {
	file: string;
	/**
	 * The Camunda 8 files name job types Baton does not have. Imported as they are, these are the
	 * workflow's external task types (K1), which workers outside Baton serve; the simulator plays
	 * no such worker, so the run imports them as placeholders.
	 */
	placeholders?: true;
	/** Whether the import calls it valid (false: it does nothing useful, or has placeholders). */
	valid: boolean;
	params?: Record<string, unknown>;
	/** Answers by node name: a person's choice, a form's values, a URL a task needs. */
	script?: Record<string, unknown>;
	/** The names of the end nodes the run reaches. */
	ends: string[];
};

type Refusal = { file: string; refused: string[] };

const RUNS: Run[] = [
	{ file: "A.1.0.bpmn", valid: false, ends: ["End Event"] },
	{ file: "A.2.0.bpmn", valid: false, ends: ["End Event"] },
	{ file: "A.2.1.bpmn", valid: false, ends: ["End Event"] },
	{ file: "A.3.0.bpmn", valid: false, ends: ["End Event 1"] },
	{ file: "A.4.0.bpmn", valid: false, ends: ["End Event 5"] },
	{ file: "A.4.1.bpmn", valid: false, ends: ["End Event 5"] },
	{ file: "B.1.0.bpmn", valid: true, ends: ["End Event Message"] },
	{
		file: "C.1.0.bpmn",
		valid: true,
		script: { "Approve Invoice": { approved: true } },
		ends: ["Invoice processed"],
	},
	{
		file: "C.1.1.bpmn",
		valid: true,
		script: { "Approve Invoice": { approved: true } },
		ends: ["Invoice processed"],
	},
	{
		file: "C.2.0.bpmn",
		valid: true,
		script: { "Payment accepted?": { decision: "Yes" } },
		// An unnamed end event: its key.
		ends: ["e03c9539-b011-46b1-a381-0eee5f0521b8"],
	},
	{ file: "C.3.0.bpmn", valid: true, ends: ["Fridge replaced"] },
	{ file: "C.4.0.bpmn", valid: true, ends: ["End Event"] },
	{ file: "C.5.0.bpmn", valid: true, ends: ["Identity determined and new customer created"] },
	{
		file: "C.7.0.bpmn",
		valid: true,
		script: { "Advertisement approved?": { decision: "Yes" } },
		ends: ["Vacancy advertised"],
	},
	{
		file: "C.8.0.bpmn",
		placeholders: true,
		valid: false,
		script: { "Fetch Vacation Information": { values: { url: "https://hr.example/vacations" } } },
		ends: ["Vacation Refused Automatically"],
	},
	{
		file: "C.8.1.bpmn",
		placeholders: true,
		valid: false,
		script: { "Fetch Vacation Information": { values: { url: "https://hr.example/vacations" } } },
		ends: ["Vacation Refused Automatically"],
	},
	// Event subprocesses: the main flow is a scope that ends the process.
	{ file: "C.9.0.bpmn", placeholders: true, valid: false, ends: ["Customer Onboarding"] },
	// Its "email" job type is Baton's email task (a job type names the built-in of that name).
	{
		file: "C.9.1.bpmn",
		placeholders: true,
		valid: true,
		params: { documentReferenceId: "D-1" },
		ends: ["Document received"],
	},
	{
		file: "C.9.2.bpmn",
		placeholders: true,
		valid: false,
		params: { documentReferenceId: "D-1", fraudSuspectedId: "F-1", documents: [] },
		ends: ["Manual Check"],
	},
];

const REFUSALS: Refusal[] = [
	{ file: "B.2.0.bpmn", refused: ["TIMER_WITHOUT_TIME", "UNSUPPORTED_EVENT"] },
	{ file: "C.6.0.bpmn", refused: ["TIMER_WITHOUT_TIME", "UNSUPPORTED_EVENT"] },
];

async function imported(run: Run): Promise<WorkflowDefinition> {
	const options: BpmnImportOptions = run.placeholders ? { unknownTaskTypes: "placeholder" } : {};
	const result = await importBpmn(read(run.file), options);
	if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
	expect(result.valid).toBe(run.valid);
	return result.definition;
}

/** The script by node key, from answers given by node name. */
function scriptFor(
	def: WorkflowDefinition,
	byName: Record<string, unknown> = {},
): SimulationScript {
	const script: SimulationScript = {};
	for (const [name, entry] of Object.entries(byName)) {
		const node = allNodes(def).find((n) => n.name === name);
		if (!node) throw new Error(`no node is named "${name}"`);
		script[node.key] = entry;
	}
	return script;
}

describe("BPMN MIWG reference models", () => {
	it("are all here, each either run or refused below", () => {
		const files = readdirSync(DIR).filter((f) => f.endsWith(".bpmn"));
		expect(files).toHaveLength(21);
		expect([...RUNS, ...REFUSALS].map((e) => e.file).sort()).toEqual(files.sort());
		expect(RUNS.length).toBeGreaterThanOrEqual(19);
	});

	for (const run of RUNS) {
		it(`${run.file} imports, compiles and runs to an end`, async () => {
			const def = await imported(run);
			const compiled = compileWorkflow(def, taskCatalog);
			if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems, null, 1));
			const params = run.params ?? {};
			// T10: what the run starts with is what the imported start form declares.
			expect(checkStartParams(def, params)).toMatchObject({ ok: true });
			const result = simulate(compiled.workflow, {
				params,
				script: scriptFor(def, run.script),
				advanceMs: 60 * 86_400_000,
			});
			expect(result.errors).toEqual([]);
			expect(result.state.status).toBe("SUCCESS");
			const topEnds = new Map(def.nodes.filter((n) => n.end).map((n) => [n.key, n.name ?? n.key]));
			const ends = result.state.tasks
				.filter((t) => t.status === "SUCCESS" && topEnds.has(t.node))
				.map((t) => topEnds.get(t.node));
			expect(ends).toEqual(run.ends);
		});
	}

	for (const refusal of REFUSALS) {
		it(`${refusal.file} is refused for constructs out of scope only, each by element and line`, async () => {
			const result = await importBpmn(read(refusal.file), { unknownTaskTypes: "placeholder" });
			expect(result.ok).toBe(false);
			if (result.ok) return;
			const codes = [...new Set(result.problems.map((p) => p.code))].sort();
			expect(codes).toEqual(refusal.refused);
			for (const p of result.problems) {
				expect(OUT_OF_SCOPE.has(p.code)).toBe(true);
				expect(p.id).toBeDefined();
				expect(p.line).toBeGreaterThan(0);
			}
		});
	}

	it("K1: the Camunda 8 files import as they are, their job types the workflow's external task types", async () => {
		for (const run of RUNS.filter((r) => r.placeholders)) {
			const result = await importBpmn(read(run.file));
			if (!result.ok) throw new Error(`${run.file}: ${JSON.stringify(result.problems)}`);
			// C.9.1's only job type, "email", is a built-in's name: nothing is external there.
			if (run.file !== "C.9.1.bpmn") {
				expect(Object.keys(result.definition.externalTasks ?? {}).length).toBeGreaterThan(0);
			}
			expect(compileWorkflow(result.definition, taskCatalog).ok, run.file).toBe(true);
		}
	});

	it("never crashes: every file gives an answer; asked to, job types are refused by name", async () => {
		for (const file of readdirSync(DIR).filter((f) => f.endsWith(".bpmn"))) {
			const result = await importBpmn(read(file), { unknownTaskTypes: "refuse" });
			expect(result.ok || result.problems.length > 0).toBe(true);
			if (!result.ok && RUNS.some((r) => r.file === file && r.placeholders)) {
				expect(result.problems.every((p) => p.code === "MISSING_TASK_TYPE")).toBe(true);
			}
		}
	});

	it("never crashes on a damaged file: each cut in half is refused with a reason", async () => {
		for (const file of readdirSync(DIR).filter((f) => f.endsWith(".bpmn"))) {
			const xml = read(file);
			const result = await importBpmn(xml.slice(0, Math.floor(xml.length / 2)));
			expect(result).toMatchObject({ ok: false });
			if (!result.ok) expect(result.problems[0]?.message).not.toBe("");
		}
	});
});
