// BPMN 2.0 through the admin pages, inside workerd (bpmn-moddle needs no eval): the conference as a
// modeler saves it is uploaded, published and run; Baton's export of it imports back to the same
// graph and is valid BPMN; an element Baton cannot execute is named on the page with its line.

import { env } from "cloudflare:workers";
import { BpmnModdle } from "bpmn-moddle";
import { describe, expect, it } from "vitest";
import { getDraft } from "../../src/db/workflows.ts";
import { runCommand } from "../../src/durable/process-client.ts";
import type { WorkflowDefinition } from "../../src/engine/index.ts";
import conferenceXml from "../fixtures/bpmn/conference.bpmn?raw";
import { type Browser, edit, signedIn, textOf } from "./admin-fixtures.ts";
import { expectIndexMatches, start, waitFor } from "./process-fixtures.ts";

async function uploadBpmn(admin: Browser, xml: string, filename: string, key?: string) {
	const form = new FormData();
	form.set("file", new File([xml], filename, { type: "application/xml" }));
	if (key) form.set("key", key);
	return admin.upload("/admin/import", form);
}

/** The graph as behaviour sees it: join/split only where several transitions meet. */
function graphOf(def: WorkflowDefinition) {
	return {
		nodes: def.nodes.map((n) => {
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
			};
		}),
		transitions: def.transitions.map((t) => ({
			from: t.from,
			to: t.to,
			condition: t.condition ?? null,
			on: t.on ?? "success",
		})),
	};
}

describe("BPMN through the admin pages", () => {
	it("imports the conference BPMN a modeler saved, publishes it, and a process of it runs (inside workerd)", async () => {
		const admin = await signedIn();
		const res = await uploadBpmn(admin, conferenceXml, "conference.bpmn", "conference-bpmn");
		expect([200, 303]).toContain(res.status);
		const draft = await getDraft(env.DB, "conference-bpmn");
		expect(draft?.definition.name).toBe("Organizing a conference");
		expect(draft?.definition.roles?.map((r) => r.key)).toEqual(["organization", "accounting"]);
		const editor = await admin.get("/admin/workflows/conference-bpmn/draft");
		expect(textOf(await editor.text())).toContain("The draft can be published.");
		await edit(admin, "conference-bpmn", "/publish", {});

		const { processId } = await start("conference-bpmn");
		const days = ["no", "no", "yes"];
		const actor = { id: admin.userId, roles: [], isAdmin: true };
		// People answer whatever waits for them; the starting day is "no" twice, then "yes".
		for (let round = 0; round < 40; round++) {
			const v = await waitFor(
				processId,
				(x) =>
					x.state.status !== "STARTED" ||
					x.state.tasks.some((t) => t.status === "PENDING" && t.awaitingInput),
			);
			if (v.state.status !== "STARTED") break;
			const task = v.state.tasks.find((t) => t.status === "PENDING" && t.awaitingInput)!;
			const answer = task.node === "Activity_wait" ? (days.shift() ?? "yes") : "done";
			await runCommand(
				env,
				processId,
				{ type: "SubmitValues", taskId: task.id, values: { answer }, actor },
				`answer:${task.id}`,
			);
		}
		const done = await waitFor(processId, (v) => v.state.status !== "STARTED");
		expect(done.state.status).toBe("SUCCESS");
		const passes = (node: string) => done.state.tasks.filter((t) => t.node === node).length;
		expect(passes("Activity_wait")).toBe(3);
		expect(passes("Gateway_subscriptions")).toBe(3);
		expect(passes("Activity_start")).toBe(1);
		await expectIndexMatches(processId);
	});

	it("exports valid BPMN that imports back through the admin to the same graph", async () => {
		const admin = await signedIn();
		await uploadBpmn(admin, conferenceXml, "conference.bpmn", "conference-export");
		await edit(admin, "conference-export", "/publish", {});
		const exported = await admin.get("/admin/workflows/conference-export/versions/1/export.bpmn");
		expect(exported.status).toBe(200);
		expect(exported.headers.get("Content-Type")).toContain("application/xml");
		const xml = await exported.text();
		expect(xml).toContain("<bpmndi:BPMNDiagram");
		expect((await new BpmnModdle().fromXML(xml)).warnings).toEqual([]);

		const back = await uploadBpmn(admin, xml, "conference-export-v1.bpmn", "conference-back");
		expect(back.status).toBe(303);
		const original = (await getDraft(env.DB, "conference-export")) ?? undefined;
		expect(original).toBeUndefined(); // published: the draft is gone
		const published = await admin.get("/admin/workflows/conference-export/versions/1/export.json");
		const def = JSON.parse(await published.text()) as WorkflowDefinition;
		const reimported = (await getDraft(env.DB, "conference-back"))?.definition;
		if (!reimported) throw new Error("nothing imported");
		expect(graphOf(reimported)).toEqual(graphOf(def));
		expect(reimported.roles).toEqual(def.roles);
	});

	it("names an unsupported BPMN element and its line on the page, and imports nothing", async () => {
		const admin = await signedIn();
		const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="escalation" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:userTask id="review" name="Review" />
    <bpmn:boundaryEvent id="late" name="Too late" attachedToRef="review">
      <bpmn:timerEventDefinition />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;
		const res = await uploadBpmn(admin, xml, "escalation.bpmn");
		expect(res.status).toBe(422);
		const html = await res.text();
		const text = textOf(html);
		expect(text).toContain("Nothing was imported: 1 problem");
		expect(text).toContain(`boundaryEvent 'late' "Too late" (line 6): the timer gives no date`);
		expect(html).toMatch(
			/<code>bpmn:boundaryEvent<\/code><\/td><td><code>late<\/code><\/td><td class="num">6<\/td>/,
		);
		expect(await getDraft(env.DB, "escalation")).toBeNull();
	});
});
