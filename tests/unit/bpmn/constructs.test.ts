// One BPMN construct at a time, as docs/bpmn.md maps it: what each becomes in a Baton definition,
// what the import says it loses, and what it refuses.
import { describe, expect, it } from "vitest";
import { type BpmnImportOptions, importBpmn } from "../../../src/bpmn/import.ts";
import {
	compileWorkflow,
	findNodeDefinition,
	simulate,
	type WorkflowDefinition,
} from "../../../src/engine/index.ts";
import { taskCatalog } from "../../../src/tasks/registry.ts";

/** A BPMN file with one executable process holding `body`, and `roots` beside it. */
function bpmn(body: string, roots = ""): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
${body}
  </bpmn:process>
${roots}
</bpmn:definitions>`;
}

async function definition(xml: string, options: BpmnImportOptions = {}) {
	const result = await importBpmn(xml, options);
	if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 1));
	return result;
}

function node(def: WorkflowDefinition, key: string) {
	const found = findNodeDefinition(def, key);
	if (!found) throw new Error(`no node ${key}`);
	return found;
}

const START_TO = (target: string) =>
	`<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="fs" sourceRef="s" targetRef="${target}" />`;
const TO_END = (source: string) =>
	`<bpmn:endEvent id="e" /><bpmn:sequenceFlow id="fe" sourceRef="${source}" targetRef="e" />`;

describe("BPMN import: timers and schedules", () => {
	it("timer start events become schedules: an ISO cycle or a cron as a five-field cron, a date as one start", async () => {
		const timer = (id: string, inner: string) =>
			`<bpmn:startEvent id="${id}" name="${id}"><bpmn:timerEventDefinition>${inner}</bpmn:timerEventDefinition></bpmn:startEvent>
			 <bpmn:sequenceFlow id="f_${id}" sourceRef="${id}" targetRef="t" />`;
		const { definition: def, warnings } = await definition(
			bpmn(`
				${timer("daily", '<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R/2030-01-01T09:30:00Z/P1D</bpmn:timeCycle>')}
				${timer("weekdays", "<bpmn:timeCycle>0 0 9 * * MON-FRI</bpmn:timeCycle>")}
				${timer("once", "<bpmn:timeDate>2030-06-01T08:00:00Z</bpmn:timeDate>")}
				${timer("later", "<bpmn:timeDuration>PT1H</bpmn:timeDuration>")}
				<bpmn:task id="t" />${TO_END("t")}`),
		);
		expect(def.schedules).toEqual([
			{ cron: "30 9 * * *", name: "daily" },
			{ cron: "0 9 * * MON-FRI", name: "weekdays" },
			{ at: "2030-06-01T08:00:00Z", name: "once" },
		]);
		expect(warnings.map((w) => [w.code, w.id])).toContainEqual([
			"TIMER_START_NOT_SCHEDULED",
			"later",
		]);
		expect(compileWorkflow(def, taskCatalog).ok).toBe(true);
	});

	it("a boundary keeps an ISO cycle (B3); a waiting event waits its first period; a timer with no time is refused", async () => {
		const { definition: def, warnings } = await definition(
			bpmn(`${START_TO("work")}
				<bpmn:userTask id="work" name="Work" />
				<bpmn:boundaryEvent id="nudge" attachedToRef="work" cancelActivity="false">
					<bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT4H</bpmn:timeCycle></bpmn:timerEventDefinition>
				</bpmn:boundaryEvent>
				<bpmn:intermediateCatchEvent id="pause">
					<bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT10M</bpmn:timeCycle></bpmn:timerEventDefinition>
				</bpmn:intermediateCatchEvent>
				<bpmn:sequenceFlow id="f1" sourceRef="work" targetRef="pause" />${TO_END("pause")}`),
		);
		expect(node(def, "nudge")).toMatchObject({
			task: "wait",
			attachedTo: "work",
			interrupting: false,
			params: { cycle: "R3/PT4H" },
		});
		expect(node(def, "pause")).toMatchObject({ task: "wait", params: { duration: "PT10M" } });
		expect(warnings.map((w) => w.code)).toContain("TIMER_CYCLE_ON_CATCH");
		const empty = await importBpmn(
			bpmn(
				`${START_TO("w")}<bpmn:intermediateCatchEvent id="w"><bpmn:timerEventDefinition /></bpmn:intermediateCatchEvent>${TO_END("w")}`,
			),
		);
		expect(empty).toMatchObject({ ok: false, problems: [{ code: "TIMER_WITHOUT_TIME", id: "w" }] });
	});
});

describe("BPMN import: messages, signals, escalations, errors, links", () => {
	it("message throw and catch are send and message (N1, N2), keyed by the subscription, else by the process id", async () => {
		const { definition: def, warnings } = await definition(
			bpmn(
				`${START_TO("ask_pay")}
				<bpmn:intermediateThrowEvent id="ask_pay"><bpmn:messageEventDefinition messageRef="m_pay" /></bpmn:intermediateThrowEvent>
				<bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m_paid" /></bpmn:intermediateCatchEvent>
				<bpmn:sequenceFlow id="f1" sourceRef="ask_pay" targetRef="paid" />${TO_END("paid")}`,
				`<bpmn:message id="m_pay" name="pay" />
				 <bpmn:message id="m_paid" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`,
			),
		);
		expect(node(def, "ask_pay")).toMatchObject({
			task: "send",
			params: { message: "pay", correlationKey: "= process.id" },
		});
		expect(node(def, "paid")).toMatchObject({
			task: "message",
			params: { message: "paid", correlationKey: "=orderId" },
		});
		// Nothing in the process sets orderId: only its starter can.
		expect(def.startForm).toEqual({ orderId: { label: "orderId" } });
		expect(warnings.map((w) => w.code)).toContain("START_FIELDS_NEEDED");
	});

	it("a signal is a message under a fixed key, an escalation a message to the process itself; both said", async () => {
		const { definition: def, warnings } = await definition(
			bpmn(
				`${START_TO("work")}<bpmn:task id="work" />
				<bpmn:boundaryEvent id="recall" attachedToRef="work"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:boundaryEvent>
				<bpmn:boundaryEvent id="help" attachedToRef="work" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="esc" /></bpmn:boundaryEvent>
				<bpmn:intermediateThrowEvent id="shout"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateThrowEvent>
				<bpmn:sequenceFlow id="f1" sourceRef="work" targetRef="shout" />${TO_END("shout")}
				<bpmn:sequenceFlow id="f2" sourceRef="recall" targetRef="e" />`,
				`<bpmn:signal id="sig" name="product-recall" /><bpmn:escalation id="esc" name="Need help" escalationCode="HELP" />`,
			),
		);
		expect(node(def, "recall")).toMatchObject({
			task: "message",
			params: { message: "product-recall", correlationKey: "signal" },
		});
		expect(node(def, "shout")).toMatchObject({
			task: "send",
			params: { message: "product-recall", correlationKey: "signal" },
		});
		expect(node(def, "help")).toMatchObject({
			task: "message",
			interrupting: false,
			params: { message: "Need help", correlationKey: "= process.id" },
		});
		expect(warnings.map((w) => w.code)).toEqual(
			expect.arrayContaining(["SIGNAL_AS_MESSAGE", "ESCALATION_AS_MESSAGE"]),
		);
	});

	it("X1/B4: an error end keeps its error's code; an error boundary catches that code, or any without one", async () => {
		const { definition: def } = await definition(
			bpmn(
				`${START_TO("sub")}
				<bpmn:subProcess id="sub">
					<bpmn:startEvent id="s2" /><bpmn:sequenceFlow id="g1" sourceRef="s2" targetRef="no_stock" />
					<bpmn:endEvent id="no_stock" name="No stock"><bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent>
				</bpmn:subProcess>
				<bpmn:boundaryEvent id="caught" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
				<bpmn:boundaryEvent id="anything" attachedToRef="sub"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
				<bpmn:sequenceFlow id="f1" sourceRef="sub" targetRef="e" />
				<bpmn:sequenceFlow id="f2" sourceRef="caught" targetRef="e" />
				<bpmn:sequenceFlow id="f3" sourceRef="anything" targetRef="e" />
				<bpmn:endEvent id="e" />`,
				`<bpmn:error id="err" name="Out of stock" errorCode="OUT_OF_STOCK" />`,
			),
		);
		expect(node(def, "sub")).toMatchObject({ task: "scope" });
		expect(node(def, "no_stock")).toMatchObject({
			task: "error",
			end: true,
			params: { code: "OUT_OF_STOCK", message: "Out of stock" },
		});
		expect(node(def, "caught")).toMatchObject({ task: "error", params: { code: "OUT_OF_STOCK" } });
		expect(node(def, "anything")).toMatchObject({ task: "error", params: {} });
		const compiled = compileWorkflow(def, taskCatalog);
		if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
		const trace = simulate(compiled.workflow).trace;
		expect(trace).toContain("caught SUCCESS");
		expect(trace.at(-1)).toBe("process SUCCESS");
	});

	it("a link throw leads to the link catch of its name", async () => {
		const { definition: def } = await definition(
			bpmn(`${START_TO("go")}
				<bpmn:intermediateThrowEvent id="go"><bpmn:linkEventDefinition name="page2" /></bpmn:intermediateThrowEvent>
				<bpmn:intermediateCatchEvent id="arrive"><bpmn:linkEventDefinition name="page2" /></bpmn:intermediateCatchEvent>
				${TO_END("arrive")}`),
		);
		expect(def.transitions).toContainEqual({ from: "go", to: "arrive" });
		expect(compileWorkflow(def, taskCatalog).ok).toBe(true);
	});
});

describe("BPMN import: subprocesses and multi-instance", () => {
	it("event subprocesses listen on the flow they sit in: it becomes a scope, each one a boundary on it", async () => {
		const { definition: def, warnings } = await definition(
			bpmn(
				`${START_TO("work")}<bpmn:userTask id="work" />${TO_END("work")}
				<bpmn:subProcess id="on_cancel" triggeredByEvent="true">
					<bpmn:startEvent id="cancel"><bpmn:messageEventDefinition messageRef="m_cancel" /></bpmn:startEvent>
					<bpmn:sequenceFlow id="c1" sourceRef="cancel" targetRef="cancelled" />
					<bpmn:endEvent id="cancelled" />
				</bpmn:subProcess>
				<bpmn:subProcess id="on_late" triggeredByEvent="true">
					<bpmn:startEvent id="late" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
					<bpmn:sequenceFlow id="l1" sourceRef="late" targetRef="told" />
					<bpmn:endEvent id="told" />
				</bpmn:subProcess>`,
				`<bpmn:message id="m_cancel" name="cancel" />`,
			),
		);
		expect(def.nodes.map((n) => n.key)).toEqual(["p_flow", "cancel", "cancelled", "late", "told"]);
		expect(node(def, "p_flow")).toMatchObject({ task: "scope", start: true, end: true });
		expect(node(def, "cancel")).toMatchObject({ task: "message", attachedTo: "p_flow" });
		expect(node(def, "cancelled").end).toBe(true);
		expect(node(def, "late")).toMatchObject({
			task: "wait",
			attachedTo: "p_flow",
			interrupting: false,
		});
		expect(node(def, "told").end).toBeUndefined();
		expect(warnings.map((w) => [w.code, w.id])).toContainEqual(["SIDE_PATH_END", "told"]);
		expect(compileWorkflow(def, taskCatalog).ok).toBe(true);
	});

	it("M1 from Camunda 8 and 7 markers, a cardinality and a completion condition", async () => {
		const { definition: def } = await definition(
			bpmn(`${START_TO("a")}
				<bpmn:task id="a"><bpmn:multiInstanceLoopCharacteristics>
					<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=documents" inputElement="document" /></bpmn:extensionElements>
					<bpmn:completionCondition>=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition>
				</bpmn:multiInstanceLoopCharacteristics></bpmn:task>
				<bpmn:task id="b"><bpmn:multiInstanceLoopCharacteristics isSequential="true" camunda:collection="\${approvers}" camunda:elementVariable="approver">
					<bpmn:completionCondition>\${nrOfCompletedInstances == nrOfInstances}</bpmn:completionCondition>
				</bpmn:multiInstanceLoopCharacteristics></bpmn:task>
				<bpmn:task id="c"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:task>
				<bpmn:sequenceFlow id="f1" sourceRef="a" targetRef="b" /><bpmn:sequenceFlow id="f2" sourceRef="b" targetRef="c" />${TO_END("c")}`),
		);
		expect(node(def, "a").multiInstance).toEqual({
			items: "=documents",
			as: "document",
			completion: "= completed >= 2",
		});
		expect(node(def, "b").multiInstance).toEqual({
			items: "= approvers",
			as: "approver",
			sequential: true,
			completion: "= completed = total",
		});
		expect(node(def, "c").multiInstance).toEqual({ items: "= for i in 1..(3) return i" });
		const compiled = compileWorkflow(def, taskCatalog);
		if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
		const trace = simulate(compiled.workflow, {
			params: { documents: [1, 2, 3], approvers: ["ana"] },
		}).trace;
		expect(trace.filter((line) => line.startsWith("c ")).length).toBe(4);
		expect(trace.at(-1)).toBe("process SUCCESS");
	});

	it("refuses a loop marker and a call whose process is chosen at run time", async () => {
		const result = await importBpmn(
			bpmn(`${START_TO("a")}
				<bpmn:task id="a"><bpmn:standardLoopCharacteristics /></bpmn:task>
				<bpmn:callActivity id="b" calledElement="\${which}" />
				<bpmn:sequenceFlow id="f1" sourceRef="a" targetRef="b" />${TO_END("b")}`),
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => [p.code, p.id, p.line])).toEqual([
			["LOOP_MARKER", "a", 5],
			["CALLED_BY_EXPRESSION", "b", 6],
		]);
	});
});

describe("BPMN import: gateways and defaults", () => {
	it("an inclusive gateway's default takes the negation of the others, so it runs when a variable is missing", async () => {
		const { definition: def } = await definition(
			bpmn(`${START_TO("g")}
				<bpmn:inclusiveGateway id="g" default="f_other" />
				<bpmn:task id="big" /><bpmn:task id="other" />
				<bpmn:sequenceFlow id="f_big" sourceRef="g" targetRef="big"><bpmn:conditionExpression>=amount &gt; 1000</bpmn:conditionExpression></bpmn:sequenceFlow>
				<bpmn:sequenceFlow id="f_other" sourceRef="g" targetRef="other" />
				<bpmn:parallelGateway id="j" />
				<bpmn:sequenceFlow id="f1" sourceRef="big" targetRef="j" /><bpmn:sequenceFlow id="f2" sourceRef="other" targetRef="j" />${TO_END("j")}`),
		);
		expect(def.transitions.filter((t) => t.from === "g")).toEqual([
			{ from: "g", to: "big", condition: "=amount > 1000" },
			{ from: "g", to: "other", condition: "= not((amount > 1000) = true)" },
		]);
		const compiled = compileWorkflow(def, taskCatalog);
		if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
		expect(simulate(compiled.workflow).trace).toContain("other SUCCESS");
	});

	it("an exclusive gateway whose routes have no conditions asks a person to choose one", async () => {
		const { definition: def, warnings } = await definition(
			bpmn(`${START_TO("g")}
				<bpmn:exclusiveGateway id="g" name="Ship or pick up?" />
				<bpmn:task id="ship" name="Ship" /><bpmn:task id="pickup" name="Hold for pick-up" />
				<bpmn:sequenceFlow id="f1" name="Ship it" sourceRef="g" targetRef="ship" />
				<bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="pickup" />
				<bpmn:sequenceFlow id="f3" sourceRef="ship" targetRef="e" /><bpmn:sequenceFlow id="f4" sourceRef="pickup" targetRef="e" />
				<bpmn:endEvent id="e" />`),
		);
		expect(node(def, "g")).toMatchObject({
			task: "ask",
			split: "xor",
			params: {
				questions: {
					decision: {
						label: "Ship or pick up?",
						type: "select",
						options: ["Ship it", "Hold for pick-up"],
						required: true,
					},
				},
			},
		});
		expect(def.transitions.filter((t) => t.from === "g").map((t) => t.condition)).toEqual([
			'= result.decision = "Ship it"',
			'= result.decision = "Hold for pick-up"',
		]);
		expect(warnings.map((w) => w.code)).toContain("DECISION_BY_PERSON");
	});
});

describe("BPMN import: task types and honesty", () => {
	const charge = bpmn(`${START_TO("charge")}
		<bpmn:serviceTask id="charge" name="Charge the card">
			<bpmn:extensionElements><zeebe:taskDefinition type="payment-service" /></bpmn:extensionElements>
		</bpmn:serviceTask>${TO_END("charge")}`);

	it("K1: a job type Baton does not have is the workflow's external task type, its literal inputs its params", async () => {
		const xml = bpmn(`${START_TO("charge")}
			<bpmn:serviceTask id="charge" name="Charge the card">
				<bpmn:extensionElements>
					<zeebe:taskDefinition type="payment-service" />
					<zeebe:ioMapping>
						<zeebe:input source="=&quot;EUR&quot;" target="currency" />
						<zeebe:input source="=42" target="cents" />
						<zeebe:input source="=order.total" target="total" />
					</zeebe:ioMapping>
				</bpmn:extensionElements>
			</bpmn:serviceTask>${TO_END("charge")}`);
		const { definition: def, warnings, valid } = await definition(xml);
		expect(valid).toBe(true);
		expect(node(def, "charge")).toMatchObject({
			task: "payment-service",
			params: { currency: "EUR", cents: 42 },
		});
		expect(def.externalTasks).toEqual({
			"payment-service": {
				title: "payment-service",
				params: { currency: { label: "currency" }, cents: { label: "cents", type: "number" } },
			},
		});
		expect(warnings.map((w) => w.code)).toEqual(["EXTERNAL_TASK_TYPE", "INPUT_NOT_KEPT"]);
		expect(compileWorkflow(def, taskCatalog).ok).toBe(true);
	});

	it("refuses such a job type by name when asked; with placeholders it imports, not called valid", async () => {
		const refused = await importBpmn(charge, { unknownTaskTypes: "refuse" });
		expect(refused).toMatchObject({
			ok: false,
			problems: [{ code: "MISSING_TASK_TYPE", element: "bpmn:serviceTask", id: "charge", line: 5 }],
		});
		if (!refused.ok) expect(refused.problems[0]?.message).toContain('task type "payment-service"');
		const placeholder = await definition(charge, { unknownTaskTypes: "placeholder" });
		expect(placeholder.valid).toBe(false);
		expect(node(placeholder.definition, "charge").task).toBe("dummy");
		expect(placeholder.warnings.map((w) => w.code)).toEqual(
			expect.arrayContaining(["PLACEHOLDER_TASK_TYPE", "PLACEHOLDERS"]),
		);
	});

	it("a registered job type is that task type; a catalog given to the import decides what is registered", async () => {
		const catalog = {
			get: (name: string) =>
				name === "payment-service" ? taskCatalog.get("dummy") : taskCatalog.get(name),
			list: () => taskCatalog.list(),
		};
		const imported = await definition(charge, { catalog });
		expect(node(imported.definition, "charge").task).toBe("payment-service");
	});

	it("says a service task with no type would do nothing, and does not call a workflow of such steps valid", async () => {
		const { warnings, valid } = await definition(
			bpmn(
				`${START_TO("charge")}<bpmn:serviceTask id="charge" name="Charge" />${TO_END("charge")}`,
			),
		);
		expect(valid).toBe(false);
		expect(warnings.map((w) => w.message)).toEqual([
			`serviceTask 'charge' "Charge" (line 4): has no task type; it would do nothing`,
			`no step of "p" does any work (its tasks are abstract, or name nothing Baton can run): it would run to its end and change nothing; give its steps task types before publishing`,
		]);
	});

	it("refuses a condition in a script language by element, id and line", async () => {
		const result = await importBpmn(
			bpmn(`${START_TO("g")}<bpmn:exclusiveGateway id="g" /><bpmn:task id="a" />
				<bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="a"><bpmn:conditionExpression language="javascript">amount &gt; 5</bpmn:conditionExpression></bpmn:sequenceFlow>
				${TO_END("a")}`),
		);
		expect(result).toMatchObject({
			ok: false,
			problems: [
				{ code: "UNSUPPORTED_CONDITION", element: "bpmn:sequenceFlow", id: "f1", line: 5 },
			],
		});
	});

	it("refuses a flow that leads to no step, by its line", async () => {
		const result = await importBpmn(
			bpmn(`${START_TO("a")}<bpmn:task id="a" />
				<bpmn:sequenceFlow id="lost" sourceRef="a" targetRef="nowhere" />`),
		);
		expect(result).toMatchObject({
			ok: false,
			problems: [{ code: "FLOW_WITHOUT_END", id: "lost", line: 5 }],
		});
	});

	it("chooses the process asked for; names the others", async () => {
		const two = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="first" isExecutable="true"><bpmn:startEvent id="s1" /></bpmn:process>
  <bpmn:process id="second" isExecutable="true"><bpmn:startEvent id="s2" /></bpmn:process>
</bpmn:definitions>`;
		const first = await definition(two);
		expect(first.definition.key).toBe("first");
		expect(first.warnings.map((w) => w.code)).toContain("SEVERAL_PROCESSES");
		expect((await definition(two, { process: "second" })).definition.key).toBe("second");
		expect(await importBpmn(two, { process: "third" })).toMatchObject({
			ok: false,
			problems: [{ code: "NO_SUCH_PROCESS" }],
		});
	});
});
