// BPMN events as Baton nodes (semantics.md, "Time and events"): starts (none, timer → a schedule,
// message and signal → a message start, S4/N3), ends (none and terminate, error → an `error` end,
// X1; message, signal and escalation → a `send` that ends), catches (timer → `wait`, message and
// signal → `message`), throws (→ `send`), boundaries (B1–B4) and the triggers of event
// subprocesses (boundaries on the flow they interrupt). Links are a jump: the graph joins them.
// What Baton has no counterpart for is refused with the reason.
import type { ModdleElement } from "bpmn-moddle";
import type { NodeDefinition } from "../engine/index.ts";
import { applyJobType } from "./import-camunda.ts";
import type { ImportContext } from "./import-context.ts";
import { correlationKey, type MessageKind, messageName } from "./import-messages.ts";
import { oneLine } from "./import-report.ts";
import { timerParams } from "./import-timers.ts";
import { list, localName, refElement } from "./moddle-access.ts";

type Trigger =
	| "none"
	| "timer"
	| "message"
	| "signal"
	| "escalation"
	| "error"
	| "terminate"
	| "link"
	| "conditional"
	| "compensation"
	| "cancel";

const TRIGGERS: Record<string, Trigger> = {
	"bpmn:TimerEventDefinition": "timer",
	"bpmn:MessageEventDefinition": "message",
	"bpmn:SignalEventDefinition": "signal",
	"bpmn:EscalationEventDefinition": "escalation",
	"bpmn:ErrorEventDefinition": "error",
	"bpmn:TerminateEventDefinition": "terminate",
	"bpmn:LinkEventDefinition": "link",
	"bpmn:ConditionalEventDefinition": "conditional",
	"bpmn:CompensateEventDefinition": "compensation",
	"bpmn:CancelEventDefinition": "cancel",
};

/** Why Baton has no counterpart (docs/bpmn.md lists them as out of scope). */
const OUT_OF_SCOPE: Partial<Record<Trigger, string>> = {
	conditional:
		"Baton has no event that waits for data to change (conditional events); wait for a message or a timer instead",
	compensation:
		"Baton does not undo finished steps (compensation); draw the undoing steps as a path",
	cancel: "Baton has no transactions to cancel",
};

export type EventPlace = "process" | "scope";

/** The event's trigger and its definition; a multiple event (several definitions) is refused. */
function triggerOf(
	el: ModdleElement,
	ctx: ImportContext,
): { trigger: Trigger; definition?: ModdleElement } | undefined {
	const definitions = list(el.eventDefinitions);
	if (definitions.length === 0) return { trigger: "none" };
	if (definitions.length > 1) {
		ctx.report.refuse(
			el,
			"MULTIPLE_EVENT",
			"an event with several triggers (multiple) has no counterpart in Baton; draw one event per trigger",
		);
		return undefined;
	}
	const definition = definitions[0] as ModdleElement;
	const trigger = TRIGGERS[definition.$type];
	if (!trigger) {
		ctx.report.refuse(
			el,
			"UNKNOWN_EVENT",
			`the trigger ${localName(definition.$type)} is not known`,
		);
		return undefined;
	}
	const outOfScope = OUT_OF_SCOPE[trigger];
	if (outOfScope) {
		ctx.report.refuse(el, "UNSUPPORTED_EVENT", outOfScope);
		return undefined;
	}
	return { trigger, definition };
}

/** Fills `node` for a start event (a timer start is a schedule, import-graph.ts); false when refused. */
export function startEvent(
	el: ModdleElement,
	node: NodeDefinition,
	place: EventPlace,
	ctx: ImportContext,
): boolean {
	const found = triggerOf(el, ctx);
	if (!found) return false;
	const { trigger, definition } = found;
	node.start = true;
	if (trigger === "none") return true;
	if (place === "scope") {
		ctx.report.refuse(
			el,
			"START_TRIGGER_IN_SCOPE",
			`a ${trigger} start inside a subprocess is only meaningful in an event subprocess`,
		);
		return false;
	}
	if (trigger === "message" || trigger === "signal") {
		node.task = "message";
		node.params = { message: messageName(el, definition, trigger, "in", ctx) };
		return true;
	}
	ctx.report.refuse(
		el,
		"START_TRIGGER",
		`a start on ${trigger === "error" ? "an error" : `an ${trigger}`} is only meaningful in an event subprocess`,
	);
	return false;
}

/** Fills `node` for an end event; false when refused. */
export function endEvent(el: ModdleElement, node: NodeDefinition, ctx: ImportContext): boolean {
	const found = triggerOf(el, ctx);
	if (!found) return false;
	const { trigger, definition } = found;
	node.end = true;
	switch (trigger) {
		case "none":
		case "terminate":
			return true;
		case "error":
			node.task = "error";
			node.params = errorParams(el, definition, "throw");
			return true;
		case "message":
		case "signal":
		case "escalation":
			return throwing(el, node, definition, trigger, ctx);
		default:
			return notHere(el, trigger, "an end", ctx);
	}
}

/** Fills `node` for an intermediate catch or throw event; false when refused. */
export function intermediateEvent(
	el: ModdleElement,
	node: NodeDefinition,
	ctx: ImportContext,
): boolean {
	const found = triggerOf(el, ctx);
	if (!found) return false;
	const { trigger, definition } = found;
	const catching = el.$type === "bpmn:IntermediateCatchEvent";
	if (trigger === "none" || trigger === "link") return true;
	if (!catching) {
		if (trigger === "message" || trigger === "signal" || trigger === "escalation") {
			return throwing(el, node, definition, trigger, ctx);
		}
		return notHere(el, trigger, "a throw", ctx);
	}
	if (trigger === "timer" && definition) {
		const params = timerParams(el, definition, "catch", ctx);
		if (!params) return false;
		node.task = "wait";
		node.params = params;
		return true;
	}
	if (trigger === "message" || trigger === "signal") {
		waiting(el, node, definition, trigger, ctx);
		return true;
	}
	return notHere(el, trigger, "a catch", ctx);
}

/**
 * Fills `node` for a listener on `host` (B1): a boundary event, or the start event of an event
 * subprocess, which listens on the flow it belongs to. False when refused.
 */
export function listeningEvent(
	el: ModdleElement,
	node: NodeDefinition,
	host: string,
	interrupting: boolean,
	ctx: ImportContext,
): boolean {
	const found = triggerOf(el, ctx);
	if (!found) return false;
	const { trigger, definition } = found;
	node.attachedTo = host;
	if (!interrupting) node.interrupting = false;
	switch (trigger) {
		case "timer": {
			const params = definition && timerParams(el, definition, "boundary", ctx);
			if (!params) return false;
			node.task = "wait";
			node.params = params;
			return true;
		}
		case "message":
		case "signal":
		case "escalation":
			waiting(el, node, definition, trigger, ctx);
			return true;
		case "error":
			node.task = "error";
			node.params = errorParams(el, definition, "catch");
			if (!interrupting) {
				delete node.interrupting;
				ctx.report.warn(
					el,
					"ERROR_INTERRUPTS",
					"an error is caught by interrupting: its host has already failed",
				);
			}
			return true;
		default:
			return notHere(el, trigger, "a listening event", ctx);
	}
}

/** A `message` wait, with the correlation that BPMN leaves to the engine said when defaulted. */
function waiting(
	el: ModdleElement,
	node: NodeDefinition,
	definition: ModdleElement | undefined,
	kind: MessageKind,
	ctx: ImportContext,
): void {
	const name = messageName(el, definition, kind, "in", ctx);
	const key = correlationKey(el, definition, kind, ctx);
	node.task = "message";
	node.params = { message: name, correlationKey: key.key };
	if (key.byProcessId) {
		ctx.report.warn(
			el,
			"MESSAGE_BY_PROCESS_ID",
			`the model gives no correlation key for the message "${name}": it is for the process whose id it names (correlationKey = process.id)`,
		);
	}
	if (kind === "signal") {
		ctx.report.warn(
			el,
			"SIGNAL_AS_MESSAGE",
			`the signal "${name}" is a message here: the first task waiting for it takes it, not every one`,
		);
	}
	if (kind === "escalation") {
		ctx.report.warn(
			el,
			"ESCALATION_AS_MESSAGE",
			`the escalation "${name}" is a message to this process: thrown in a called workflow, it does not reach here`,
		);
	}
}

/** A `send` of a message, signal or escalation; a Camunda 8 job type on it wins (a job worker). */
function throwing(
	el: ModdleElement,
	node: NodeDefinition,
	definition: ModdleElement | undefined,
	kind: MessageKind,
	ctx: ImportContext,
): boolean {
	const job = applyJobType(el, node, ctx);
	if (job !== "none") return job !== "refused";
	const name = messageName(el, definition, kind, "out", ctx);
	node.task = "send";
	node.params = { message: name, correlationKey: correlationKey(el, definition, kind, ctx).key };
	return true;
}

function errorParams(
	el: ModdleElement,
	definition: ModdleElement | undefined,
	side: "throw" | "catch",
): Record<string, string> {
	const error = refElement(definition?.errorRef);
	const code = [error?.errorCode, error?.name]
		.map((t) => (typeof t === "string" ? t.trim() : ""))
		.find((t) => t !== "");
	const params: Record<string, string> = {};
	// An error end names a code (X1); without one, its own name or id does.
	const thrown = code ?? (side === "throw" ? oneLine(el.name ?? "") || el.id : undefined);
	if (thrown) params.code = thrown.slice(0, 100);
	const name = typeof error?.name === "string" ? oneLine(error.name) : "";
	if (side === "throw" && name !== "" && name !== params.code) params.message = name.slice(0, 500);
	return params;
}

function notHere(el: ModdleElement, trigger: Trigger, where: string, ctx: ImportContext): false {
	ctx.report.refuse(el, "EVENT_TRIGGER", `${where} on ${trigger} has no counterpart in Baton`);
	return false;
}
