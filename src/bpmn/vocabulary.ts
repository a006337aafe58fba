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
