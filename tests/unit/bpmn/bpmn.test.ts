import { readFileSync } from "node:fs";
import { BpmnModdle } from "bpmn-moddle";
import { describe, expect, it } from "vitest";
import { exportBpmn } from "../../../src/bpmn/export.ts";
import { importBpmn } from "../../../src/bpmn/import.ts";
import { allNodes, compileWorkflow, type WorkflowDefinition } from "../../../src/engine/index.ts";
import { taskCatalog } from "../../../src/tasks/registry.ts";
import { shippedWorkflows } from "../../../src/workflows/index.ts";
import { ProcessRun } from "../helpers/harness.ts";

const conferenceXml = readFileSync(
	new URL("../../fixtures/bpmn/conference.bpmn", import.meta.url),
	"utf8",
);

async function mustImport(xml: string): Promise<WorkflowDefinition> {
	const result = await importBpmn(xml);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.definition;
}

/** The graph as behaviour sees it: join/split only where several transitions meet. */
function graphOf(def: WorkflowDefinition) {
	const nodes = def.nodes.map((n) => {
		const ins = def.transitions.filter((t) => t.to === n.key).length;
		const outs = def.transitions.filter((t) => t.from === n.key).length;
		return {
			key: n.key,
			name: n.name ?? n.key,
			task: n.task,
			role: n.role ?? null,
			params: n.params ?? null,
			start: n.start === true,
			end: n.end === true,
			join: ins > 1 ? (n.join ?? "and") : null,
			split: outs > 1 ? (n.split ?? "and") : null,
			inline: n.inline === true,
		};
	});
	const transitions = def.transitions.map((t) => ({
		from: t.from,
		to: t.to,
		condition: t.condition ?? null,
		on: t.on ?? "success",
	}));
	return { nodes, transitions };
}

describe("BPMN import", () => {
	it("imports the conference diagram saved by a BPMN modeler, roles from its lanes and assignments", async () => {
		const def = await mustImport(conferenceXml);
		expect(def.key).toBe("Process_conference");
		expect(def.name).toBe("Organizing a conference");
		const node = (key: string) => def.nodes.find((n) => n.key === key);
		expect(node("StartEvent_papers")).toMatchObject({ task: "dummy", start: true });
		expect(node("Activity_collect")).toMatchObject({ task: "question", role: "accounting" });
		expect(node("Activity_location")).toMatchObject({ task: "question", role: "organization" });
		expect(node("Gateway_publicize")).toMatchObject({ task: "dummy", join: "and" });
		expect(node("Gateway_subscriptions")).toMatchObject({ task: "dummy", join: "or" });
		expect(node("Gateway_day")).toMatchObject({ task: "dummy", split: "xor" });
		expect(node("EndEvent_done")).toMatchObject({ end: true });
		expect(def.roles).toEqual([
			{ key: "organization", name: "Organization" },
			{ key: "accounting", name: "Accounting" },
		]);
		// The default flow goes last, without a condition, so the XOR split falls back to it (R2).
		const fromDay = def.transitions.filter((t) => t.from === "Gateway_day");
		expect(fromDay).toEqual([
			{
				from: "Gateway_day",
				to: "Gateway_subscriptions",
				condition: '=process.last.Activity_wait != "yes"',
			},
			{ from: "Gateway_day", to: "Activity_start" },
		]);
		expect(compileWorkflow(def, taskCatalog).ok).toBe(true);
	});

	it("runs the imported conference: the OR join waits for the channels, the loop is taken twice", async () => {
		const compiled = compileWorkflow(await mustImport(conferenceXml), taskCatalog);
		if (!compiled.ok) throw new Error("does not compile");
		const run = new ProcessRun(compiled.workflow, {}, { autoAssign: true }).start();
		const answer = (node: string, value: string) => {
			const task = run.state.tasks.find((t) => t.node === node && t.status === "PENDING");
			if (!task) throw new Error(`no waiting ${node}: ${run.statuses().join(", ")}`);
			run.send({
				type: "SubmitValues",
				taskId: task.id,
				values: { answer: value },
				actor: { id: "admin", roles: [], isAdmin: true },
			});
			run.complete(node, value);
		};
		const finishJobs = () => {
			for (let again = true; again; ) {
				again = false;
				for (const t of run.state.tasks) {
					const isJob = ["dummy"].includes(compiled.workflow.nodes.get(t.node)?.def.task ?? "");
					if (isJob && t.status === "PENDING") {
						run.complete(t.node, null);
						again = true;
						break;
					}
				}
			}
		};
		finishJobs();
		answer("Activity_location", "the old town hall");
		finishJobs();
		answer("Activity_collect", "42 papers");
		finishJobs();
		answer("Activity_publicize", "done");
		finishJobs();
		for (const day of ["no", "no", "yes"]) {
			answer("Activity_subscriptions", "ok");
			answer("Activity_wait", day);
			finishJobs();
		}
		expect(run.state.status).toBe("SUCCESS");
		const passes = (key: string) => run.state.tasks.filter((t) => t.node === key).length;
		expect(passes("Gateway_subscriptions")).toBe(3);
		expect(passes("Activity_mailing")).toBe(1);
		expect(passes("Activity_start")).toBe(1);
	});

	it("reports every element Baton cannot execute by name and line, and imports nothing", async () => {
		const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:task id="t" name="Work" />
    <bpmn:boundaryEvent id="watch" name="Stock low" attachedToRef="t">
      <bpmn:conditionalEventDefinition />
    </bpmn:boundaryEvent>
    <bpmn:complexGateway id="g" />
    <bpmn:endEvent id="e"><bpmn:compensateEventDefinition /></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e">
      <bpmn:conditionExpression>\${invoice.isApproved()}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>`;
		const result = await importBpmn(xml);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => [p.element, p.id, p.line])).toEqual([
			["bpmn:boundaryEvent", "watch", 6],
			["bpmn:complexGateway", "g", 9],
			["bpmn:endEvent", "e", 10],
			["bpmn:sequenceFlow", "f2", 12],
		]);
		expect(result.problems[0]?.message).toContain(`boundaryEvent 'watch' "Stock low" (line 6)`);
		expect(result.problems[3]?.message).toContain("the method isApproved() is not translated");
	});

	it("refuses a file that is not XML, or not BPMN, with a clear message", async () => {
		const broken = await importBpmn("<bpmn:definitions><oops></bpmn:definitions>");
		expect(broken.ok).toBe(false);
		const empty = await importBpmn(
			'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x"></definitions>',
		);
		expect(empty).toMatchObject({ ok: false, problems: [{ code: "NO_PROCESS" }] });
	});
});

/**
 * The time and event constructs (issue #15), which the import of issue #8 does not read: their
 * export → import round trips are in round-trip-events.test.ts.
 */
function usesTimeAndEvents(def: WorkflowDefinition): boolean {
	return (
		(def.schedules?.length ?? 0) > 0 ||
		allNodes(def).some(
			(n) =>
				n.attachedTo !== undefined ||
				n.nodes !== undefined ||
				n.multiInstance !== undefined ||
				n.due !== undefined ||
				n.followUp !== undefined ||
				n.split === "event" ||
				["message", "event", "send", "error", "scope"].includes(n.task),
		)
	);
}

describe("BPMN export", () => {
	for (const def of shippedWorkflows) {
		it(`exports "${def.key}" as valid BPMN with its diagram`, async () => {
			const xml = await exportBpmn(def);
			expect(xml).toContain("<bpmndi:BPMNDiagram");
			// Valid against the BPMN 2.0 meta-model: read back by bpmn-moddle without a warning.
			expect((await new BpmnModdle().fromXML(xml)).warnings).toEqual([]);
		});
	}

	for (const def of shippedWorkflows.filter((w) => !usesTimeAndEvents(w))) {
		it(`exports "${def.key}" as BPMN that imports back to the same graph`, async () => {
			const back = await mustImport(await exportBpmn(def));
			expect(back.key).toBe(def.key);
			expect(graphOf(back)).toEqual(graphOf(def));
			expect(back.params ?? null).toEqual(def.params ?? null);
			expect(back.startForm ?? null).toEqual(def.startForm ?? null);
			expect(compileWorkflow(back, taskCatalog).ok).toBe(true);
		});
	}

	it("T9 keeps inline nodes through export and import, gateways and events included", async () => {
		const conference = shippedWorkflows.find((w) => w.key === "conference-automated");
		if (!conference) throw new Error("conference-automated is not shipped");
		const def = { ...conference, nodes: conference.nodes.map((n) => ({ ...n, inline: true })) };
		const back = await mustImport(await exportBpmn(def));
		expect(back.nodes.every((n) => n.inline === true)).toBe(true);
		expect(graphOf(back)).toEqual(graphOf(def));
	});

	it("T10/T11 keeps the start form and a node's editable params through export and import", async () => {
		const def = {
			key: "authority",
			name: "Authority",
			startForm: { loops: { label: "Loops", type: "integer" as const, default: 2 } },
			nodes: [
				{ key: "sum", task: "add", params: { a: 1 }, editable: ["a", "b"], start: true, end: true },
			],
			transitions: [],
		};
		const back = await mustImport(await exportBpmn(def));
		expect(back.startForm).toEqual(def.startForm);
		expect(back.nodes[0]?.editable).toEqual(["a", "b"]);
	});

	it("exports an imported modeler diagram and reads it back to the same graph", async () => {
		const def = await mustImport(conferenceXml);
		const back = await mustImport(await exportBpmn(def));
		expect(graphOf(back)).toEqual(graphOf(def));
	});

	for (const key of ["conference", "supplier-contract"]) {
		it(`draws every element and every flow of "${key}" in the diagram`, async () => {
			const def = shippedWorkflows.find((w) => w.key === key);
			if (!def) throw new Error("missing");
			const xml = await exportBpmn(def);
			const shapes = xml.match(/<bpmndi:BPMNShape /g)?.length ?? 0;
			const edges = xml.match(/<bpmndi:BPMNEdge /g)?.length ?? 0;
			const elements =
				xml.match(
					/<bpmn:(task|userTask|serviceTask|sendTask|receiveTask|startEvent|endEvent|boundaryEvent|intermediateCatchEvent|\w+Gateway|callActivity|subProcess) /g,
				)?.length ?? 0;
			const flows = xml.match(/<bpmn:sequenceFlow /g)?.length ?? 0;
			expect(shapes).toBe(elements);
			expect(edges).toBe(flows);
		});
	}
});
