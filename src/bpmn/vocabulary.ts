// What BPMN elements mean in Baton, shared by the import and the export.
import type { JoinKind, SplitKind } from "../engine/index.ts";

/** Baton's own attributes on BPMN elements keep what BPMN cannot say (task type, params, role). */
export const BATON_NS = { prefix: "baton", uri: "https://baton.dev/schema/bpmn/1.0" } as const;

/**
 * Gateways are nodes that do nothing but join and split. An inclusive split is Baton's AND split
 * with conditions: every transition whose condition holds is taken.
 */
export const GATEWAY_KINDS: Record<string, { join: JoinKind; split: SplitKind }> = {
	"bpmn:ExclusiveGateway": { join: "xor", split: "xor" },
	"bpmn:ParallelGateway": { join: "and", split: "and" },
	"bpmn:InclusiveGateway": { join: "or", split: "and" },
};

/** Tasks a person carries out; imported as `question` (a person answers) unless told otherwise. */
export const HUMAN_TASKS = new Set(["bpmn:UserTask", "bpmn:ManualTask"]);

/** A BPMN id or a lane name as a Baton key: a letter first, then letters, digits, _ . - (≤ 64). */
export function toKey(text: string): string {
	const cleaned = text
		.normalize("NFKD")
		.replace(/[^A-Za-z0-9_.-]+/g, "_")
		.replace(/^_+|_+$/g, "");
	const key = /^[A-Za-z]/.test(cleaned) ? cleaned : `n_${cleaned}`;
	return key.slice(0, 64);
}

/** A lane or candidate group name as a role key: "Organization" → "organization". */
export function toRoleKey(name: string): string {
	return toKey(name.trim().toLowerCase().replace(/\s+/g, "-"));
}

// ---------------------------------------------------------------------------------------------
// Added by the export of the time and event constructs (issue #15, branch bpmn-out). Where BPMN
// has no word for what Baton executes, the export writes these Baton attributes (`baton:<name>`)
// and the import reads them back; docs/bpmn-export.md says where each one goes.

export const BATON_ATTR = {
	/** H1, on a node's element: when its task is due, a duration ("P2D") or "= FEEL". */
	due: "due",
	/** H1, on a node's element: when to look at its task again, like `due`. */
	followUp: "followUp",
	/** Q1, on a timer start event: the five-field cron ("0 9 * * 1"); BPMN cycles are ISO 8601. */
	cron: "cron",
	/** Q1, beside `cron`: its IANA time zone ("Europe/Paris"), absent for UTC. */
	timezone: "timezone",
	/** M1, on multiInstanceLoopCharacteristics: the FEEL list, one instance per item. */
	items: "items",
	/** M1, beside `items`: the param that holds each instance's item, absent for "item". */
	as: "as",
} as const;
