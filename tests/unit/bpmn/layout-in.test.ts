// layoutFromDiagram: the author's drawing read from a BPMN file's BPMNDI, for the import to keep
// as the workflow's `layout`; and no drawing at all when the file does not draw every node.
import { readFileSync } from "node:fs";
import { BpmnModdle, type ModdleElement } from "bpmn-moddle";
import { describe, expect, it } from "vitest";
import { layoutFromDiagram } from "../../../src/bpmn/layout-in.ts";
import { workflowDefinitionSchema } from "../../../src/engine/index.ts";

const conferenceXml = readFileSync(
	new URL("../../fixtures/bpmn/conference.bpmn", import.meta.url),
	"utf8",
);

async function definitionsOf(xml: string): Promise<ModdleElement> {
	return (await new BpmnModdle().fromXML(xml)).rootElement;
}

/** A process with an embedded subprocess, drawn expanded or (bpmn-js's drill-down) collapsed. */
function subprocessXml(expanded: boolean): string {
	const inside = `
      <bpmndi:BPMNShape id="inner_di" bpmnElement="inner"><dc:Bounds x="${expanded ? 300 : 100}" y="${expanded ? 120 : 100}" width="100" height="80" /></bpmndi:BPMNShape>`;
	return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:subProcess id="sub"><bpmn:incoming>f1</bpmn:incoming><bpmn:task id="inner" /></bpmn:subProcess>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="main">
    <bpmndi:BPMNPlane id="main_plane" bpmnElement="p">
      <bpmndi:BPMNShape id="s_di" bpmnElement="s"><dc:Bounds x="150" y="142" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="sub_di" bpmnElement="sub" isExpanded="${expanded}"><dc:Bounds x="250" y="80" width="${expanded ? 300 : 100}" height="${expanded ? 160 : 80}" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="186" y="160" /><di:waypoint x="250" y="160" /></bpmndi:BPMNEdge>${expanded ? inside : ""}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>${
		expanded
			? ""
			: `
  <bpmndi:BPMNDiagram id="drill">
    <bpmndi:BPMNPlane id="sub_plane" bpmnElement="sub">${inside}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>`
	}
</bpmn:definitions>`;
}

const subprocessKeys = {
	nodes: new Map([
		["s", "start"],
		["sub", "group"],
		["inner", "work"],
	]),
	transitions: new Map([["f1", 0]]),
};

describe("layoutFromDiagram", () => {
	it("reads each node's box and each transition's waypoints from a modeler's file", async () => {
		const definitions = await definitionsOf(conferenceXml);
		const layout = layoutFromDiagram(definitions, {
			nodes: new Map([
				["Activity_collect", "collect"],
				["Gateway_publicize", "publicize"],
			]),
			transitions: new Map([["Flow_4", 3]]),
		});
		expect(layout).toEqual({
			nodes: {
				collect: { x: 510, y: 520, width: 100, height: 80 },
				publicize: { x: 685, y: 535, width: 50, height: 50 },
			},
			transitions: {
				"3": [
					{ x: 610, y: 560 },
					{ x: 685, y: 560 },
				],
			},
		});
	});

	it("gives a layout the definition schema accepts", async () => {
		const layout = layoutFromDiagram(await definitionsOf(subprocessXml(true)), subprocessKeys);
		const def = {
			key: "drawn",
			name: "Drawn",
			nodes: [{ key: "start", task: "dummy", start: true, end: true }],
			transitions: [],
			layout,
		};
		expect(workflowDefinitionSchema.safeParse(def).success).toBe(true);
	});

	it("reads an expanded subprocess and its inside from the same plane", async () => {
		const layout = layoutFromDiagram(await definitionsOf(subprocessXml(true)), subprocessKeys);
		expect(layout?.nodes).toEqual({
			start: { x: 150, y: 142, width: 36, height: 36 },
			group: { x: 250, y: 80, width: 300, height: 160 },
			work: { x: 300, y: 120, width: 100, height: 80 },
		});
	});

	it("gives no layout for a collapsed subprocess, whose inside has coordinates of its own", async () => {
		const definitions = await definitionsOf(subprocessXml(false));
		expect(layoutFromDiagram(definitions, subprocessKeys)).toBeUndefined();
	});

	it("gives no layout when a node has no shape, or the file no diagram", async () => {
		const definitions = await definitionsOf(conferenceXml);
		const keys = {
			nodes: new Map([
				["Activity_collect", "collect"],
				["nowhere", "lost"],
			]),
		};
		expect(layoutFromDiagram(definitions, keys)).toBeUndefined();
		const bare = await definitionsOf(
			conferenceXml.replace(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/, ""),
		);
		const one = { nodes: new Map([["Activity_collect", "collect"]]) };
		expect(layoutFromDiagram(bare, one)).toBeUndefined();
		expect(layoutFromDiagram(definitions, { nodes: new Map() })).toBeUndefined();
	});

	it("skips waypoints it cannot use, and keeps the boxes", async () => {
		const xml = subprocessXml(true).replace(
			'<di:waypoint x="186" y="160" /><di:waypoint x="250" y="160" />',
			'<di:waypoint x="186" y="160" />',
		);
		const layout = layoutFromDiagram(await definitionsOf(xml), subprocessKeys);
		expect(layout?.nodes.group).toBeDefined();
		expect(layout?.transitions).toBeUndefined();
	});

	it("gives no layout for boxes beyond what the schema accepts", async () => {
		const xml = subprocessXml(true).replace('x="150" y="142"', 'x="150" y="9e9"');
		expect(layoutFromDiagram(await definitionsOf(xml), subprocessKeys)).toBeUndefined();
	});
});
