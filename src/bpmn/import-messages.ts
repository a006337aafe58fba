// Messages, signals and escalations as Baton's messages (N1–N3). A message's name comes from its
// `bpmn:message`, else from the message flow drawn to or from the element (a collaboration's pools
// talking), else from the element. BPMN leaves correlation to the engine: Camunda 8's
// `zeebe:subscription correlationKey` is kept; without one, a process is addressed by its id.
// Signals and escalations have no Baton equivalent of their own: a signal is a message under a
// fixed key (any process may catch it, but only one waiting task does), an escalation a message to
// the process itself (its boundary or event subprocess catches it).
import type { ModdleElement } from "bpmn-moddle";
import type { ImportContext } from "./import-context.ts";
import { settingToFeel } from "./import-expressions.ts";
import { oneLine } from "./import-report.ts";
import { attr, extension, ref, refElement } from "./moddle-access.ts";

/** What an event or task sends or waits for, by its event definition (or its own messageRef). */
export type MessageKind = "message" | "signal" | "escalation";

/** The correlation key of a process addressed by its id (BPMN gives none). */
const OWN_PROCESS_KEY = "= process.id";
/** Every signal travels under this key: a signal is for whoever waits, not for one process. */
const SIGNAL_KEY = "signal";

const MAX_NAME = 200;

/** The message's name as Baton publishes and waits for it. */
export function messageName(
	el: ModdleElement,
	definition: ModdleElement | undefined,
	kind: MessageKind,
	direction: "in" | "out",
	ctx: ImportContext,
): string {
	const referenced = refElement(
		kind === "signal"
			? definition?.signalRef
			: kind === "escalation"
				? definition?.escalationRef
				: (definition?.messageRef ?? el.messageRef),
	);
	const own = referenced?.name;
	if (typeof own === "string" && own.trim() !== "") return clip(own);
	if (kind === "escalation") {
		const code = referenced?.escalationCode;
		return typeof code === "string" && code !== "" ? clip(code) : "escalation";
	}
	if (kind === "message") {
		const flow = messageFlowOf(el, direction, ctx);
		if (flow) return messageFlowName(flow);
	}
	if (referenced?.id) return clip(referenced.id);
	return clip(el.name?.trim() ? el.name : (el.id ?? "message"));
}

/** The message flow that arrives at (`in`) or leaves (`out`) an element. */
function messageFlowOf(
	el: ModdleElement,
	direction: "in" | "out",
	ctx: ImportContext,
): ModdleElement | undefined {
	return ctx.messageFlows.find(
		(f) => ref(direction === "in" ? f.targetRef : f.sourceRef) === el.id,
	);
}

/** The name both ends of a message flow agree on. */
export function messageFlowName(flow: ModdleElement): string {
	const message = refElement(flow.messageRef)?.name;
	if (typeof message === "string" && message.trim() !== "") return clip(message);
	if (typeof flow.name === "string" && flow.name.trim() !== "") return clip(flow.name);
	const target = refElement(flow.targetRef);
	if (typeof target?.name === "string" && target.name.trim() !== "") return clip(target.name);
	return clip(flow.id ?? "message");
}

/**
 * The correlation key of a wait or a send: the message's `zeebe:subscription` key, else the fixed
 * key of signals, else the process's own id (`byProcessId`, for the caller to say so).
 */
export function correlationKey(
	el: ModdleElement,
	definition: ModdleElement | undefined,
	kind: MessageKind,
	ctx: ImportContext,
): { key: string; byProcessId: boolean } {
	if (kind === "signal") return { key: SIGNAL_KEY, byProcessId: false };
	if (kind === "escalation") return { key: OWN_PROCESS_KEY, byProcessId: false };
	const message = refElement(definition?.messageRef ?? el.messageRef);
	const subscription = message ? extension(message, "zeebe:subscription") : undefined;
	const key = attr(subscription, "correlationKey");
	if (key !== undefined && key.trim() !== "") {
		const feel = settingToFeel(key);
		if ("literal" in feel) return { key: feel.literal, byProcessId: false };
		if (feel.ok) return { key: feel.expression, byProcessId: false };
		ctx.report.warn(
			el,
			"CORRELATION_NOT_READ",
			`the correlation key ${key} is not read (${feel.why}); the process id is used instead`,
		);
	}
	return { key: OWN_PROCESS_KEY, byProcessId: true };
}

function clip(name: string): string {
	return oneLine(name).slice(0, MAX_NAME);
}
