// The export of the time and event constructs: each becomes its standard BPMN 2.0 element, valid
// against the meta-model, with Baton's attributes for what BPMN cannot say.
import type { ModdleElement } from "bpmn-moddle";
import { describe, expect, it } from "vitest";
import { isoDuration } from "../../../src/bpmn/export-events.ts";
import type { WorkflowDefinition } from "../../../src/engine/index.ts";
import {
	boundaries,
	messages,
	multi,
	scheduled,
	scope,
} from "../../fixtures/bpmn/time-and-events.ts";
import { body, exportAndRead, idOf, list } from "./moddle.ts";

const definitionOf = (el: ModdleElement) => list(el.eventDefinitions)[0];

describe("BPMN export of boundary events and due dates (B1–B4, H1)", () => {
	it("writes each boundary on its host, non-interrupting ones with cancelActivity false", async () => {
		const read = await exportAndRead(boundaries);
		for (const key of ["remind", "escalate", "late", "deadline", "cancelled", "refused"]) {
			const el = read.element(key);
			expect(el.$type).toBe("bpmn:BoundaryEvent");
			expect(idOf(el.attachedToRef)).toBe("approve");
			expect(el.cancelActivity).toBe(key !== "remind");
		}
		expect(read.xml).toContain('cancelActivity="false"');
		expect(read.xml.match(/cancelActivity=/g)).toHaveLength(1);
	});

	it("writes timers in ISO 8601: a cycle, a duration, a date; a timer at the due date has no time", async () => {
		const read = await exportAndRead(boundaries);
		const timer = (key: string) => {
			const def = definitionOf(read.element(key));
			expect(def?.$type).toBe("bpmn:TimerEventDefinition");
			return def as Record<string, unknown>;
		};
		expect(body(timer("remind").timeCycle)).toBe("R3/PT4H");
		expect(body(timer("late").timeDuration)).toBe("PT1H30M");
		expect(body(timer("deadline").timeDate)).toBe("2030-01-31T09:00:00Z");
		const atDue = timer("escalate");
		expect([atDue.timeDate, atDue.timeDuration, atDue.timeCycle]).toEqual([
			undefined,
			undefined,
			undefined,
		]);
		// The exact params travel in Baton's attribute.
		expect(read.baton("escalate", "params")).toBe('{"at":"due"}');
		expect(read.baton("remind", "params")).toBe('{"cycle":"R3/4h"}');
	});

	it("writes message and error boundaries with their bpmn:message and bpmn:error", async () => {
		const read = await exportAndRead(boundaries);
		const message = definitionOf(read.element("cancelled"));
		expect(message?.$type).toBe("bpmn:MessageEventDefinition");
		expect(message?.messageRef).toMatchObject({ $type: "bpmn:Message", name: "order-cancelled" });
		const error = definitionOf(read.element("refused"));
		expect(error?.errorRef).toMatchObject({
			$type: "bpmn:Error",
			name: "REFUSED",
			errorCode: "REFUSED",
		});
		// No code catches any error (B4): no errorRef.
		const any = definitionOf(read.element("anyError"));
		expect(any?.$type).toBe("bpmn:ErrorEventDefinition");
		expect(any?.errorRef).toBeUndefined();
		const roots = list(read.definitions.rootElements).map((e) => [e.$type, e.name]);
		expect(roots).toEqual([
			["bpmn:Process", "Boundaries"],
			["bpmn:Message", "order-cancelled"],
			["bpmn:Error", "REFUSED"],
		]);
	});

	it("writes due and follow-up dates as Baton attributes, which BPMN has no word for", async () => {
		const read = await exportAndRead(boundaries);
		expect(read.element("approve").$type).toBe("bpmn:UserTask");
		expect(read.baton("approve", "due")).toBe("P2D");
		expect(read.baton("approve", "followUp")).toBe("= params.lookAgain");
	});
});

describe("BPMN export of messages, event-based gateways and error ends (S4, N1, N2, E1, X1)", () => {
	it("writes a message start as a start event with its message", async () => {
		const read = await exportAndRead(messages);
		const order = read.element("order");
		expect(order.$type).toBe("bpmn:StartEvent");
		expect(definitionOf(order)?.messageRef).toMatchObject({ name: "order-placed" });
		expect(read.baton("order", "task")).toBe("message");
		// It is its own start: no implicit start event beside it.
		expect(read.xml).not.toContain("order__start");
	});

	it("writes a send as a send task and message waits as intermediate catch events", async () => {
		const read = await exportAndRead(messages);
		const confirm = read.element("confirm");
		expect(confirm.$type).toBe("bpmn:SendTask");
		expect(confirm.messageRef).toMatchObject({ name: "order-confirmed" });
		expect(JSON.parse(read.baton("confirm", "params") ?? "")).toEqual(messages.nodes[1]?.params);
		const paid = read.element("paid");
		expect(paid.$type).toBe("bpmn:IntermediateCatchEvent");
		expect(definitionOf(paid)?.messageRef).toMatchObject({ name: "invoice-paid" });
		// An `event` task waits for the message named "event" (N1).
		expect(definitionOf(read.element("hook"))?.messageRef).toMatchObject({ name: "event" });
		const timeout = read.element("timeout");
		expect(timeout.$type).toBe("bpmn:IntermediateCatchEvent");
		expect(body(definitionOf(timeout)?.timeDuration)).toBe("P7D");
	});

	it("writes a bare event split as an event-based gateway, and any other as the Baton attribute", async () => {
		const read = await exportAndRead(messages);
		expect(read.element("await").$type).toBe("bpmn:EventBasedGateway");
		expect(read.baton("await", "inline")).toBe("true");
		expect(read.baton("await", "split")).toBeUndefined();
		const def: WorkflowDefinition = {
			...messages,
			nodes: messages.nodes.map((n) => (n.key === "await" ? { ...n, role: "clerk" } : n)),
		};
		const worked = await exportAndRead(def);
		expect(worked.element("await").$type).toBe("bpmn:Task");
		expect(worked.baton("await", "split")).toBe("event");
	});

	it("writes an error end as an end event with its bpmn:error", async () => {
		const read = await exportAndRead(messages);
		const unpaid = read.element("unpaid");
		expect(unpaid.$type).toBe("bpmn:EndEvent");
		expect(definitionOf(unpaid)?.errorRef).toMatchObject({ errorCode: "UNPAID" });
		expect(read.baton("unpaid", "task")).toBe("error");
		// Several flows into an event: BPMN would merge them as XOR, so Baton's join is said.
		expect(read.element("done").$type).toBe("bpmn:EndEvent");
		expect(read.baton("done", "join")).toBe("xor");
	});

	it("writes no message start inside a subprocess, where BPMN allows only none starts", async () => {
		const def: WorkflowDefinition = {
			key: "inner-message",
			name: "Inner message",
			nodes: [
				{
					key: "box",
					task: "scope",
					start: true,
					end: true,
					nodes: [
						{ key: "wait", task: "message", start: true, end: true, params: { message: "m" } },
					],
					transitions: [],
				},
			],
			transitions: [],
		};
		const read = await exportAndRead(def);
		expect(read.element("wait").$type).toBe("bpmn:IntermediateCatchEvent");
		expect(read.element("wait__start").$type).toBe("bpmn:StartEvent");
		expect(definitionOf(read.element("wait__start"))).toBeUndefined();
	});
});

describe("BPMN export of scopes (C1)", () => {
	it("writes a scope as a subprocess holding its inner graph, with its own start and end", async () => {
		const read = await exportAndRead(scope);
		const check = read.element("check");
		expect(check.$type).toBe("bpmn:SubProcess");
		const inner = list(check.flowElements);
		expect(inner.map((e) => [e.$type, e.id])).toEqual([
			["bpmn:UserTask", "read"],
			["bpmn:StartEvent", "read__start"],
			["bpmn:BoundaryEvent", "hurry"],
			["bpmn:Task", "pay"],
			["bpmn:EndEvent", "paidIt"],
			["bpmn:SequenceFlow", "read__start_flow"],
			["bpmn:SequenceFlow", "flow_4"],
			["bpmn:SequenceFlow", "flow_5"],
			["bpmn:SequenceFlow", "flow_6"],
			["bpmn:SequenceFlow", "flow_7"],
		]);
		expect(idOf(read.element("hurry").attachedToRef)).toBe("read");
		expect(idOf(read.element("checkFailed").attachedToRef)).toBe("check");
		// Top-level flows never reach inside.
		expect(list(read.process.flowElements).some((e) => e.id === "read")).toBe(false);
	});
});

describe("BPMN export of multi-instance nodes (M1)", () => {
	it("writes the marker, sequential or not, with the completion condition and the list in Baton's attributes", async () => {
		const read = await exportAndRead(multi);
		const review = read.element("review").loopCharacteristics as {
			$type: string;
			isSequential: boolean;
			completionCondition: unknown;
			$attrs: Record<string, string>;
		};
		expect(review.$type).toBe("bpmn:MultiInstanceLoopCharacteristics");
		expect(review.isSequential).toBe(true);
		expect(body(review.completionCondition)).toBe("= completed >= 2");
		expect(review.$attrs).toEqual({ "baton:items": "= params.reviewers", "baton:as": "reviewer" });
		const tell = read.element("tell");
		expect(tell.$type).toBe("bpmn:SendTask");
		expect(tell.loopCharacteristics).toMatchObject({ isSequential: false });
		expect(read.xml).toMatch(
			/<bpmn:multiInstanceLoopCharacteristics baton:items="= params.reviewers" \/>/,
		);
	});

	it("keeps a multi-instance wait an activity: events take no marker", async () => {
		const def: WorkflowDefinition = {
			key: "waits",
			name: "Waits",
			nodes: [
				{
					key: "each",
					task: "message",
					start: true,
					end: true,
					params: { message: "m", correlationKey: "= params.item" },
					multiInstance: { items: "= [1, 2]" },
				},
			],
			transitions: [],
		};
		const read = await exportAndRead(def);
		expect(read.element("each").$type).toBe("bpmn:ReceiveTask");
		expect(read.element("each").messageRef).toMatchObject({ name: "m" });
	});
});

describe("BPMN export of schedules (Q1)", () => {
	it("writes each schedule as a timer start event: a cron in Baton's attributes, a date as timeDate", async () => {
		const read = await exportAndRead(scheduled);
		const cron = read.element("schedule_1");
		expect(cron).toMatchObject({ $type: "bpmn:StartEvent", name: "Weekday mornings" });
		expect(definitionOf(cron)?.$type).toBe("bpmn:TimerEventDefinition");
		expect(cron.$attrs).toEqual({
			"baton:cron": "0 9 * * 1-5",
			"baton:timezone": "Europe/Paris",
			"baton:params": '{"region":"FR"}',
		});
		expect(read.xml).toContain('baton:cron="0 9 * * 1-5"');
		const once = read.element("schedule_2");
		expect(body(definitionOf(once)?.timeDate)).toBe("2030-01-31T09:00:00Z");
	});

	it("leads each schedule to the start nodes that are tasks, never into a start event", async () => {
		const read = await exportAndRead(scheduled);
		for (const id of ["schedule_1", "schedule_2"]) {
			const targets = list(read.element(id).outgoing).map((f) => idOf(f.targetRef));
			expect(targets).toEqual(["count"]);
		}
		expect(read.element("begin").$type).toBe("bpmn:StartEvent");
		expect(list(read.element("begin").incoming)).toEqual([]);
	});
});

describe("isoDuration", () => {
	it("writes Baton's short durations in ISO 8601 and leaves ISO and FEEL alone", () => {
		expect(isoDuration("30s")).toBe("PT30S");
		expect(isoDuration("90m")).toBe("PT1H30M");
		expect(isoDuration("1w")).toBe("P7D");
		expect(isoDuration("1d")).toBe("P1D");
		expect(isoDuration("500ms")).toBe("PT0.5S");
		expect(isoDuration(3600)).toBe("PT1H");
		expect(isoDuration("P1DT2H")).toBe("P1DT2H");
		expect(isoDuration("= params.wait")).toBe("= params.wait");
	});
});
