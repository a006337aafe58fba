// The strict zod schema of the workflow JSON format: structure and bounds only (D2's graph checks
// live in validate.ts). Also the source of docs/workflow.schema.json.
import { z } from "zod";
import { fieldNameSchema, fieldSpecSchema } from "./fields.ts";
import type { WorkflowDefinition } from "./model.ts";

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const key = z
	.string()
	.min(1)
	.max(64)
	.regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "a key starts with a letter, then letters, digits, _ . -")
	.refine((k) => !FORBIDDEN_KEYS.has(k), "this key is reserved");

const text = (max: number) => z.string().max(max);

/** A params object: JSON values, bounded, with no prototype-polluting keys. */
const params = z
	.record(z.string().max(128), z.json())
	.refine((p) => Object.keys(p).length <= 200, "at most 200 params")
	.refine((p) => !Object.keys(p).some((k) => FORBIDDEN_KEYS.has(k)), "a params key is reserved")
	.meta({
		description: "Default parameters (JSON values), merged workflow < node < process < task.",
	});

const priority = z.number().int().min(0).max(9).meta({ description: "0 (highest) to 9 (lowest)" });

/** T10: what a starter may give; each field typed like an `ask` question, with its default. */
const startForm = z
	.record(
		fieldNameSchema,
		z.strictObject({
			...fieldSpecSchema.shape,
			default: z.json().optional().meta({ description: "The value when the starter gives none" }),
		}),
	)
	.refine((f) => Object.keys(f).length <= 50, "at most 50 start fields")
	.refine((f) => !Object.keys(f).some((k) => FORBIDDEN_KEYS.has(k)), "a field name is reserved")
	.meta({
		description:
			"The params a starter may give (page, API, webhook, parent process); any other key is refused",
	});

const role = z.strictObject({ key, name: text(100).optional() });

const node = z.strictObject({
	key: key.meta({ description: "Unique within the workflow" }),
	name: text(100).optional(),
	description: text(2000).optional(),
	role: key.optional().meta({ description: "Key of the role whose members do this node's tasks" }),
	task: z.string().min(1).max(100).meta({ description: "Task type name, e.g. dummy, ask, http" }),
	params: params.optional(),
	start: z.boolean().optional(),
	end: z.boolean().optional(),
	join: z.enum(["and", "xor", "or"]).optional().meta({ description: "Default and" }),
	split: z.enum(["and", "xor"]).optional().meta({ description: "Default and" }),
	priority: priority.optional(),
	inline: z.boolean().optional().meta({
		description:
			"Run the task inside the step that activates it, no queue hop (pure task types only: dummy, add, question)",
	}),
	editable: z.array(z.string().min(1).max(128)).max(100).optional().meta({
		description:
			"Params a person of the node's role may change on the task's form even when already set",
	}),
});

const transition = z.strictObject({
	from: key,
	to: key,
	condition: z
		.union([text(1000), z.number(), z.boolean()])
		.optional()
		.meta({
			description: 'Empty: always. A literal: equals the result. "= expr": a FEEL expression',
		}),
	on: z.enum(["success", "failure"]).optional(),
});

/** Strict schema of the workflow definition format (unknown keys are errors). */
export const workflowDefinitionSchema: z.ZodType<WorkflowDefinition> = z
	.strictObject({
		$schema: z.string().max(500).optional(),
		key,
		name: z.string().min(1).max(100),
		description: text(5000).optional(),
		version: z.number().int().min(1).optional(),
		params: params.optional(),
		startForm: startForm.optional(),
		priority: priority.optional(),
		stepBudget: z.number().int().min(1).max(1_000_000).optional(),
		roles: z.array(role).max(100).optional(),
		nodes: z.array(node).max(500),
		transitions: z.array(transition).max(2000),
	})
	.meta({ title: "Baton workflow definition" });
