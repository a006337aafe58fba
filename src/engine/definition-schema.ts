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
	// A file is kept with a task (its form, R2): a process not yet started has nowhere to keep it.
	.refine((f) => !Object.values(f).some((q) => q.type === "file"), "a start field cannot be a file")
	.meta({
		description:
			"The params a starter may give (page, API, webhook, parent process); any other key is refused",
	});

const role = z.strictObject({ key, name: text(100).optional() });

/** A FEEL expression (a leading `=` is optional) or, where said, a duration or a date. */
const expression = (description: string) => z.string().min(1).max(1000).meta({ description });

const multiInstance = z.strictObject({
	items: expression("FEEL over params and process giving the list, one instance per item"),
	as: z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
		.max(64)
		.optional()
		.meta({ description: 'The param holding the item (default "item"); its index is loopIndex' }),
	sequential: z.boolean().optional().meta({ description: "One after another (default: parallel)" }),
	completion: expression(
		"FEEL over completed, total, results, params, process: true ends the node early",
	).optional(),
});

/** K1: a task type this workflow declares, served by workers outside the Worker. */
const externalTask = z.strictObject({
	title: text(100).optional(),
	description: text(2000).optional(),
	params: z
		.record(fieldNameSchema, fieldSpecSchema)
		.refine((f) => Object.keys(f).length <= 50, "at most 50 params")
		.refine((f) => !Object.keys(f).some((k) => FORBIDDEN_KEYS.has(k)), "a param name is reserved")
		.optional()
		.meta({ description: "The task's params, typed like start form fields" }),
	retry: z
		.strictObject({
			limit: z.number().int().min(0).max(100).optional(),
			backoffSeconds: z.number().min(0).max(86_400).optional(),
			factor: z.number().min(1).max(10).optional(),
			maxBackoffSeconds: z.number().min(0).max(604_800).optional(),
		})
		.optional()
		.meta({ description: "Attempts after the first and the backoff between them (T6)" }),
});

const schedule = z
	.strictObject({
		cron: z
			.string()
			.max(200)
			.optional()
			.meta({ description: 'Five-field cron, e.g. "0 9 * * 1-5"' }),
		timezone: z
			.string()
			.max(64)
			.optional()
			.meta({ description: 'IANA time zone of the cron (default "UTC")' }),
		at: z.string().max(64).optional().meta({ description: "One start at this ISO date-time" }),
		params: params.optional(),
		name: text(100).optional(),
	})
	.refine((s) => (s.cron === undefined) !== (s.at === undefined), "give cron or at, not both");

const nodeShape = {
	key: key.meta({ description: "Unique within the workflow" }),
	name: text(100).optional(),
	description: text(2000).optional(),
	role: key.optional().meta({ description: "Key of the role whose members do this node's tasks" }),
	task: z.string().min(1).max(100).meta({ description: "Task type name, e.g. dummy, ask, http" }),
	params: params.optional(),
	start: z.boolean().optional(),
	end: z.boolean().optional(),
	join: z.enum(["and", "xor", "or"]).optional().meta({ description: "Default and" }),
	split: z
		.enum(["and", "xor", "event"])
		.optional()
		.meta({ description: "Default and; event: the first wait it leads to that happens wins" }),
	priority: priority.optional(),
	inline: z.boolean().optional().meta({
		description:
			"Run the task inside the step that activates it, no queue hop (pure task types only: dummy, add, question)",
	}),
	editable: z.array(z.string().min(1).max(128)).max(100).optional().meta({
		description:
			"Params a person of the node's role may change on the task's form even when already set",
	}),
	attachedTo: key.optional().meta({
		description:
			"A boundary event on this node: listens while its task is active (wait, message, error)",
	}),
	interrupting: z.boolean().optional().meta({
		description: "A boundary that fires revokes its host (default true)",
	}),
	due: expression(
		'When a task is due: a duration from its creation ("P2D") or "= FEEL"',
	).optional(),
	followUp: expression('When to look at a task again: a duration or "= FEEL"').optional(),
	multiInstance: multiInstance.optional(),
};

const transitionShape = {
	from: key,
	to: key,
	condition: z
		.union([text(1000), z.number(), z.boolean()])
		.optional()
		.meta({
			description: 'Empty: always. A literal: equals the result. "= expr": a FEEL expression',
		}),
	on: z.enum(["success", "failure"]).optional(),
};
const transition = z.strictObject(transitionShape);

interface NodeInput extends z.input<z.ZodObject<typeof nodeShape>> {
	nodes?: NodeInput[];
	transitions?: z.input<typeof transition>[];
}

/** A node; a `scope` node holds an inner graph of nodes and transitions (C1). */
const node: z.ZodType<NodeInput> = z.strictObject({
	...nodeShape,
	nodes: z
		.array(z.lazy(() => node))
		.max(500)
		.optional()
		.meta({ description: "The inner nodes of a scope (an embedded subprocess)" }),
	transitions: z
		.array(transition)
		.max(2000)
		.optional()
		.meta({ description: "The transitions between the inner nodes of a scope" }),
});

/** A coordinate of the author's drawing: any finite number, bounded so a file cannot blow up a page. */
const coordinate = z.number().min(-1_000_000).max(1_000_000);
const point = z.strictObject({ x: coordinate, y: coordinate });

/** The author's drawing (from a BPMN file's diagram): boxes by node key, waypoints by transition. */
const layout = z
	.strictObject({
		nodes: z
			.record(
				key,
				z.strictObject({
					x: coordinate,
					y: coordinate,
					width: z.number().positive().max(100_000),
					height: z.number().positive().max(100_000),
				}),
			)
			.refine((n) => Object.keys(n).length <= 5000, "at most 5000 boxes")
			.meta({ description: "Each node's box: top-left corner, width and height" }),
		transitions: z
			.record(z.string().regex(/^\d{1,5}$/), z.array(point).min(2).max(200))
			.optional()
			.meta({
				description:
					"Waypoints of transitions, by index (the top level's transitions, then each scope's)",
			}),
	})
	.meta({
		description:
			"The author's drawing, kept from a BPMN diagram; without it the diagram is laid out automatically",
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
		externalTasks: z
			.record(key, externalTask)
			.refine((t) => Object.keys(t).length <= 50, "at most 50 external task types")
			.optional()
			.meta({ description: "Task types served by workers outside the Worker (fetch and lock)" }),
		schedules: z.array(schedule).max(20).optional().meta({
			description: "Scheduled starts of this version (a Cron Trigger runs them)",
		}),
		nodes: z.array(node).max(500),
		transitions: z.array(transition).max(2000),
		layout: layout.optional(),
	})
	.meta({ title: "Baton workflow definition" });
