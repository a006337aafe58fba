// T10: a starter (a page, the API, a webhook, a parent process) gives only the params the
// workflow's start form declares, each of its type; the form's defaults fill the rest. Anything
// else is refused, so nobody who may only start a workflow can steer what its author set.
import { z } from "zod";
import type { CompiledWorkflow } from "./compiled.ts";
import { EngineError } from "./errors.ts";
import { fieldValueSchema } from "./fields.ts";
import type { StartField, WorkflowDefinition } from "./model.ts";

/** T10: the start form as one zod object; absent fields take their declared default. */
export function startFormSchema(def: WorkflowDefinition): z.ZodObject {
	const shape: Record<string, z.ZodType> = {};
	for (const [name, field] of Object.entries(def.startForm ?? {})) {
		shape[name] = startFieldSchema(field);
	}
	return z.object(shape);
}

function startFieldSchema(field: StartField): z.ZodType {
	const schema = fieldValueSchema(field);
	return field.default === undefined ? schema : schema.default(field.default as never);
}

export type StartParamsCheck =
	| { ok: true; params: Record<string, unknown> }
	| { ok: false; unknown: string[]; fields: Record<string, string> };

/**
 * T10: the params a starter gave, checked against the start form: every key must be a declared
 * field (else it is `unknown`), every value of its type; defaults fill the rest.
 */
export function checkStartParams(
	def: WorkflowDefinition,
	given: Record<string, unknown>,
	schema: z.ZodObject = startFormSchema(def),
): StartParamsCheck {
	const declared = def.startForm ?? {};
	const unknown = Object.keys(given).filter((k) => !Object.hasOwn(declared, k));
	const fields: Record<string, string> = {};
	for (const key of unknown) fields[key] = `"${key}" is not a field of this workflow's start form`;
	const parsed = schema.safeParse(given);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const field = issue.path.length > 0 ? String(issue.path[0]) : "";
			if (!(field in fields)) fields[field] = issue.message;
		}
	}
	if (unknown.length > 0 || !parsed.success) return { ok: false, unknown, fields };
	const params: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(parsed.data as Record<string, unknown>)) {
		if (value !== undefined) params[key] = value;
	}
	return { ok: true, params };
}

/** T10 as an error: `invalid_params` naming the unknown keys and the invalid fields. */
export function startParamsOrThrow(
	workflow: CompiledWorkflow,
	given: Record<string, unknown>,
): Record<string, unknown> {
	const check = checkStartParams(workflow.definition, given, workflow.startForm);
	if (check.ok) return check.params;
	const declared = Object.keys(workflow.definition.startForm ?? {});
	const takes = declared.length > 0 ? `it takes ${declared.join(", ")}` : "it takes no params";
	const message =
		check.unknown.length > 0
			? `not in the start form of "${workflow.key}": ${check.unknown.join(", ")} (${takes})`
			: "some start params are missing or invalid";
	throw new EngineError("invalid_params", message, {
		fields: check.fields,
		unknown: check.unknown,
	});
}
