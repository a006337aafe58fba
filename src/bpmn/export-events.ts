// The events of the export: timer definitions from a `wait` node's params, messages and errors as
// root elements shared by every event that names them, and schedules (Q1) as timer start events.
// A modeler is shown what BPMN can say (ISO durations, message names, error codes); the exact
// values travel in Baton's attributes (`baton:params`, `baton:cron`), which the import trusts.
import type { BpmnModdle, ModdleElement } from "bpmn-moddle";
import { parseCycle, parseDuration, type ScheduleDefinition } from "../engine/index.ts";
import { BATON_ATTR, BATON_NS, toKey } from "./vocabulary.ts";

/** The ids of one document: each is handed out once, a suffix added when a name is taken. */
export class Ids {
	private readonly taken = new Set<string>();

	claim(wanted: string): string {
		let id = wanted;
		for (let n = 2; this.taken.has(id); n++) id = `${wanted}_${n}`;
		this.taken.add(id);
		return id;
	}
}

/** The `bpmn:Message` and `bpmn:Error` elements of a document, one per name and per code. */
export class RootElements {
	private readonly messages = new Map<string, ModdleElement>();
	private readonly errors = new Map<string, ModdleElement>();

	private readonly moddle: BpmnModdle;
	private readonly ids: Ids;

	constructor(moddle: BpmnModdle, ids: Ids) {
		this.moddle = moddle;
		this.ids = ids;
	}

	message(name: string): ModdleElement {
		let el = this.messages.get(name);
		if (!el) {
			el = this.moddle.create("bpmn:Message", {
				id: this.ids.claim(`Message_${toKey(name)}`),
				name,
			});
			this.messages.set(name, el);
		}
		return el;
	}

	error(code: string): ModdleElement {
		let el = this.errors.get(code);
		if (!el) {
			const id = this.ids.claim(`Error_${toKey(code)}`);
			el = this.moddle.create("bpmn:Error", { id, name: code, errorCode: code });
			this.errors.set(code, el);
		}
		return el;
	}

	get elements(): ModdleElement[] {
		return [...this.messages.values(), ...this.errors.values()];
	}
}

export type EventKind = "timer" | "message" | "error";

/** The event definition of a timer, message or error node, from its params. */
export function eventDefinition(
	moddle: BpmnModdle,
	roots: RootElements,
	kind: EventKind,
	task: string,
	params: Record<string, unknown> | undefined,
): ModdleElement {
	if (kind === "timer") return timerDefinition(moddle, params ?? {});
	if (kind === "message") {
		const name = messageName(task, params);
		return moddle.create(
			"bpmn:MessageEventDefinition",
			name ? { messageRef: roots.message(name) } : {},
		);
	}
	const code = typeof params?.code === "string" ? params.code : undefined;
	// An error boundary without a code catches any error (B4): BPMN's errorEventDefinition without
	// an errorRef says the same.
	return moddle.create("bpmn:ErrorEventDefinition", code ? { errorRef: roots.error(code) } : {});
}

/** The message a message node waits for or a send node publishes; `event` waits default theirs. */
export function messageName(
	task: string,
	params: Record<string, unknown> | undefined,
): string | undefined {
	if (typeof params?.message === "string" && params.message !== "") return params.message;
	return task === "event" ? "event" : undefined;
}

/**
 * B3: `duration` → timeDuration, `until` → timeDate, `cycle` → timeCycle, short forms ("30s")
 * written in ISO 8601 ("PT30S") and FEEL as it is. `at: "due"` (the host's due date) has no BPMN
 * form: the timer is left without a time, and `baton:params` says which date it is.
 */
export function timerDefinition(
	moddle: BpmnModdle,
	params: Record<string, unknown>,
): ModdleElement {
	const expression = (body: string) => moddle.create("bpmn:FormalExpression", { body });
	const attrs: Record<string, unknown> = {};
	if (typeof params.duration === "string" || typeof params.duration === "number") {
		attrs.timeDuration = expression(isoDuration(params.duration));
	} else if (typeof params.until === "string") {
		attrs.timeDate = expression(params.until);
	} else if (typeof params.cycle === "string") {
		attrs.timeCycle = expression(isoCycle(params.cycle));
	}
	return moddle.create("bpmn:TimerEventDefinition", attrs);
}

/** A duration as ISO 8601: "30s" → "PT30S", a number of seconds likewise; ISO and FEEL unchanged. */
export function isoDuration(value: string | number): string {
	if (typeof value === "number") return iso(Math.max(0, value) * 1000);
	const text = value.trim();
	if (text.startsWith("=") || /^P/i.test(text)) return text;
	const ms = parseDuration(text);
	return ms === null ? text : iso(ms);
}

function isoCycle(text: string): string {
	const cycle = parseCycle(text);
	if (!cycle) return text;
	return `R${cycle.repetitions ?? ""}/${iso(cycle.everyMs)}`;
}

function iso(ms: number): string {
	let rest = Math.round(ms);
	const take = (size: number) => {
		const n = Math.floor(rest / size);
		rest -= n * size;
		return n;
	};
	const [d, h, m] = [take(86_400_000), take(3_600_000), take(60_000)];
	const s = rest / 1000;
	const time = `${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s ? `${s}S` : ""}`;
	if (!d && !time) return "PT0S";
	return `P${d ? `${d}D` : ""}${time ? `T${time}` : ""}`;
}

/**
 * Q1: a schedule as a timer start event: `at` → timeDate; a cron, which BPMN's ISO timeCycle
 * cannot say, in `baton:cron` (and `baton:timezone`), read as written. Its params go in
 * `baton:params`, its name is the event's.
 */
export function scheduleStart(
	moddle: BpmnModdle,
	schedule: ScheduleDefinition,
	id: string,
): ModdleElement {
	const b = (name: string) => `${BATON_NS.prefix}:${name}`;
	const timer = moddle.create(
		"bpmn:TimerEventDefinition",
		schedule.at === undefined
			? {}
			: { timeDate: moddle.create("bpmn:FormalExpression", { body: schedule.at }) },
	);
	const attrs: Record<string, unknown> = { id, eventDefinitions: [timer] };
	if (schedule.name) attrs.name = schedule.name;
	const el = moddle.create("bpmn:StartEvent", attrs);
	if (schedule.cron !== undefined) el.$attrs[b(BATON_ATTR.cron)] = schedule.cron;
	if (schedule.timezone !== undefined) el.$attrs[b(BATON_ATTR.timezone)] = schedule.timezone;
	if (schedule.params) el.$attrs[b("params")] = JSON.stringify(schedule.params);
	return el;
}
