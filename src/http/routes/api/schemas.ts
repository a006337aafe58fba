// The JSON API's shapes, in zod: request bodies and queries are parsed with them, responses are
// built to them, and src/http/openapi.ts turns the same schemas into the OpenAPI document.
import { z } from "zod";
import {
	MAX_LOG_LINE_CHARS,
	MAX_LOG_LINES,
	workflowDefinitionSchema,
} from "../../../engine/index.ts";
import {
	DEFAULT_LOCK_MS,
	MAX_LOCK_MS,
	MAX_TASKS_PER_FETCH,
	MAX_TYPES_PER_FETCH,
	MAX_WAIT_MS,
	MIN_LOCK_MS,
	TASK_TYPE_RE,
	WORKER_ID_RE,
} from "../../../external/external-task.ts";
import {
	DEFAULT_TTL_SECONDS,
	MAX_CORRELATION_KEY_LENGTH,
	MAX_NAME_LENGTH,
	MAX_TTL_SECONDS,
	MESSAGE_ID_RE,
} from "../../../messages/message.ts";
import {
	createTriggerSchema,
	rotateSecretSchema,
	triggerViewSchema,
	updateTriggerSchema,
} from "../../../webhooks/trigger.ts";

/** The named schemas of the API (components of the OpenAPI document). */
export const apiRegistry = z.registry<{ id: string; description?: string }>();

/** The same schemas by name, for checking answers against what the document promises. */
export const schemasById = new Map<string, z.ZodType>();

function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
	apiRegistry.add(schema, description ? { id, description } : { id });
	schemasById.set(id, schema);
	return schema;
}

const PROCESS_STATUSES = ["PENDING", "STARTED", "SUCCESS", "FAILURE", "REVOKED"] as const;
const TASK_STATUSES = ["PENDING", "STARTED", "RETRY", "SUCCESS", "FAILURE", "REVOKED"] as const;

export const errorSchema = named(
	"Error",
	z.object({
		code: z.string().meta({
			description:
				"Stable: unauthorized, forbidden, not_found, invalid_request, invalid_params, invalid_definition, already_started, not_running, no_start_nodes, conflict, gone, payload_too_large, rate_limited, internal",
		}),
		message: z.string(),
		details: z.unknown().optional(),
	}),
	"Every error: a stable code, a message for people, details for programs",
);

export const problemSchema = named(
	"Problem",
	z.object({
		code: z.string(),
		path: z.string().meta({ description: 'Where: "nodes[3].task", "" for the whole definition' }),
		message: z.string(),
		severity: z.enum(["error", "warning"]),
	}),
);

export const workflowDefinition = named(
	"WorkflowDefinition",
	workflowDefinitionSchema,
	"A workflow definition (the format of docs/workflow.schema.json)",
);

// ---------------------------------------------------------------------------------------------
// Pagination

export const limitQuery = z.coerce.number().int().min(1).max(100).default(25);
export const cursorQuery = z
	.string()
	.max(200)
	.optional()
	.meta({ description: "The nextCursor of the previous page" });

function page<T extends z.ZodType>(id: string, item: T) {
	return named(
		id,
		z.object({
			items: z.array(item),
			nextCursor: z
				.string()
				.nullable()
				.meta({ description: "Pass as ?cursor= for the next page; null on the last" }),
		}),
	);
}

// ---------------------------------------------------------------------------------------------
// Workflows

export const workflowSummarySchema = named(
	"WorkflowSummary",
	z.object({
		key: z.string(),
		name: z.string(),
		description: z.string().nullable(),
		latestVersion: z.int().nullable(),
		updatedAt: z.int(),
		canStart: z.boolean().meta({ description: "Whether you may start processes of it" }),
	}),
);

export const workflowListSchema = named(
	"WorkflowList",
	z.object({ items: z.array(workflowSummarySchema) }),
);

export const workflowSchema = named(
	"Workflow",
	z.object({
		key: z.string(),
		name: z.string(),
		version: z.int(),
		definition: workflowDefinition,
		versions: z.array(
			z.object({ version: z.int(), publishedAt: z.int(), publishedBy: z.string().nullable() }),
		),
	}),
	"A published version; `definition` can be imported as it is",
);

export const workflowQuery = z.strictObject({
	version: z.coerce.number().int().min(1).optional().meta({ description: "Default: the latest" }),
});

export const validationSchema = named(
	"ValidationReport",
	z.object({
		valid: z.boolean(),
		problems: z.array(problemSchema).meta({ description: "Every error, each with where it is" }),
		warnings: z.array(problemSchema),
	}),
);

export const publishDraftSchema = named(
	"PublishDraft",
	z.strictObject({
		revision: z.int().min(1).optional().meta({
			description: "The draft revision you reviewed; 409 if it changed. Default: the current one",
		}),
	}),
);

export const publishedSchema = named(
	"Published",
	z.object({ key: z.string(), version: z.int(), warnings: z.array(problemSchema) }),
);

// ---------------------------------------------------------------------------------------------
// Processes

export const startProcessSchema = named(
	"StartProcess",
	z.strictObject({
		workflowKey: z.string().min(1).max(100),
		version: z.int().min(1).optional().meta({ description: "Default: the latest published" }),
		params: z
			.record(z.string().max(128), z.json())
			.refine((p) => Object.keys(p).length <= 100, "at most 100 params")
			.optional()
			.meta({
				description:
					"Only the fields of the workflow's start form (T10); any other key is refused with 422 naming it",
			}),
		priority: z.int().min(0).max(9).nullable().optional(),
		name: z.string().trim().min(1).max(200).optional(),
	}),
);

export const startedSchema = named(
	"Started",
	z.object({
		processId: z.string(),
		version: z.int(),
		url: z.string().meta({ description: "The process page" }),
	}),
);

const processFields = {
	id: z.string(),
	name: z.string().nullable(),
	workflowKey: z.string(),
	workflowVersion: z.int(),
	status: z.enum(PROCESS_STATUSES),
	priority: z.int(),
	progress: z.int(),
	startedBy: z.string().nullable(),
	parentProcessId: z.string().nullable(),
	createdAt: z.int(),
	startedAt: z.int().nullable(),
	endedAt: z.int().nullable(),
	suspendedAt: z
		.int()
		.nullable()
		.meta({ description: "O1: when an admin suspended it (epoch ms); null when not suspended" }),
	url: z.string(),
};

export const processSummarySchema = named(
	"ProcessSummary",
	z.object({
		...processFields,
		stuck: z.boolean(),
		openIncidents: z.int(),
		activeTasks: z.int(),
	}),
);

export const processPageSchema = page("ProcessPage", processSummarySchema);

export const processListQuery = z.strictObject({
	status: z.enum(PROCESS_STATUSES).optional(),
	workflow: z.string().max(100).optional().meta({ description: "A workflow key" }),
	startedBy: z
		.string()
		.max(100)
		.optional()
		.meta({ description: '"me", or a user id (webhook starts: "hook:<trigger>")' }),
	limit: limitQuery,
	cursor: cursorQuery,
});

const taskFields = {
	id: z.string().meta({ description: '"<process id>/t<n>"' }),
	processId: z.string(),
	workflowKey: z.string(),
	node: z.string(),
	nodeName: z.string(),
	taskType: z.string(),
	status: z.enum(TASK_STATUSES),
	role: z.string().nullable(),
	assignee: z.string().nullable(),
	priority: z.int(),
	progress: z.int(),
	attempt: z.int(),
	awaitingInput: z.boolean(),
	incident: z.string().nullable(),
	createdAt: z.int(),
	startedAt: z.int().nullable(),
	endedAt: z.int().nullable(),
	dueAt: z
		.int()
		.nullable()
		.meta({ description: "H1: when the task is due (epoch ms); past it, overdue" }),
	followUpAt: z
		.int()
		.nullable()
		.meta({ description: "H1: when to look at the task again (epoch ms)" }),
};

export const taskSummarySchema = named("TaskSummary", z.object(taskFields));
export const taskPageSchema = page("TaskPage", taskSummarySchema);

export const formFieldSchema = named(
	"FormField",
	z.object({
		name: z.string(),
		label: z.string(),
		help: z.string().optional(),
		kind: z.enum(["text", "longtext", "number", "integer", "date", "select", "checkbox", "json"]),
		required: z.boolean(),
		min: z.number().optional(),
		max: z.number().optional(),
		options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
		value: z.unknown().optional(),
	}),
);

export const taskSchema = named(
	"Task",
	z.object({
		...taskFields,
		params: z.record(z.string(), z.unknown()).meta({ description: "The merged params (T1)" }),
		values: z.record(z.string(), z.unknown()).nullable(),
		requiredFields: z.array(z.string()),
		result: z.unknown().optional(),
		error: z.object({ message: z.string(), code: z.string().optional() }).nullable(),
		submittedBy: z.string().nullable(),
		submittedAt: z.int().nullable(),
		form: z.array(formFieldSchema).meta({
			description:
				"The fields you may submit while the task waits for input (T11); any other key is refused",
		}),
	}),
);

export const historyEventSchema = named(
	"HistoryEvent",
	z.object({
		seq: z.int(),
		type: z.string(),
		at: z.int(),
		taskId: z.string().optional(),
		node: z.string().optional(),
		actor: z.string().optional(),
		data: z.record(z.string(), z.unknown()).optional(),
	}),
);

export const processSchema = named(
	"Process",
	z.object({
		...processFields,
		stuck: z.boolean(),
		params: z.record(z.string(), z.unknown()),
		results: z.array(z.unknown()),
		incidents: z.array(
			z.object({
				id: z.string(),
				kind: z.string(),
				taskId: z.string().optional(),
				message: z.string(),
				at: z.int(),
				resolvedAt: z.int().optional(),
			}),
		),
		tasks: z.array(taskSummarySchema),
		history: z.array(historyEventSchema),
	}),
);

export const stoppedSchema = named(
	"Stopped",
	z.object({ processId: z.string(), status: z.enum(PROCESS_STATUSES) }),
);

// ---------------------------------------------------------------------------------------------
// Tasks

export const taskListQuery = z.strictObject({
	scope: z.enum(["mine", "roles", "all"]).optional().meta({
		description:
			"mine: assigned to you; roles: queued for your roles; all: every task you may see. Default: mine and your roles'",
	}),
	status: z
		.enum([...TASK_STATUSES, "active"])
		.default("active")
		.meta({ description: "active = PENDING, STARTED or RETRY" }),
	workflow: z.string().max(100).optional(),
	process: z.string().max(100).optional(),
	limit: limitQuery,
	cursor: cursorQuery,
});

export const submitValuesSchema = named(
	"SubmitValues",
	z.strictObject({
		values: z
			.record(z.string().max(128), z.json())
			.refine((v) => Object.keys(v).length <= 100, "at most 100 values"),
	}),
);

export const claimedSchema = named(
	"Claimed",
	z.object({ taskId: z.string(), assignee: z.string() }),
);

export const submittedSchema = named(
	"Submitted",
	z.object({ taskId: z.string(), status: z.enum(TASK_STATUSES) }),
);

// ---------------------------------------------------------------------------------------------
// Messages

export const publishMessageSchema = named(
	"PublishMessage",
	z.strictObject({
		name: z
			.string()
			.min(1)
			.max(MAX_NAME_LENGTH)
			.meta({ description: "The message name that `message` tasks and message starts wait for" }),
		correlationKey: z.string().max(MAX_CORRELATION_KEY_LENGTH).optional().meta({
			description:
				'What a waiting task\'s correlation key must equal. Default "" (message starts need none)',
		}),
		messageId: z
			.string()
			.regex(MESSAGE_ID_RE, "1 to 200 visible ASCII characters")
			.optional()
			.meta({
				description:
					"Your id for the message: the same id again is the same message, answered as the first. Default: a new one",
			}),
		payload: z.json().optional().meta({ description: "The result of the task that takes it" }),
		ttl: z
			.int()
			.min(1)
			.max(MAX_TTL_SECONDS)
			.optional()
			.meta({
				description: `Seconds it is kept while no task waits for it (default ${DEFAULT_TTL_SECONDS}, at most ${MAX_TTL_SECONDS})`,
			}),
	}),
);

export const messagePublishedSchema = named(
	"MessagePublished",
	z.object({
		messageId: z.string(),
		status: z.enum(["delivered", "kept", "expired", "started"]).meta({
			description:
				"delivered: a waiting task took it (processId, taskId); kept: no task waited, it waits for one until keptUntil; expired: kept and nobody took it in time; started: no task waited, but it started processes",
		}),
		processId: z.string().optional(),
		taskId: z.string().optional(),
		url: z.string().optional().meta({ description: "The process page of the task that took it" }),
		keptUntil: z.int().optional(),
		started: z
			.array(z.object({ workflowKey: z.string(), processId: z.string(), url: z.string() }))
			.meta({ description: "Processes of workflows whose start node waits for this message (N3)" }),
		notStarted: z
			.array(z.object({ workflowKey: z.string(), message: z.string() }))
			.meta({ description: "Message starts refused, with why (e.g. the start form needs params)" }),
		duplicate: z
			.boolean()
			.optional()
			.meta({ description: "This messageId was published before: the first one's outcome" }),
	}),
	"What became of a published message",
);

// ---------------------------------------------------------------------------------------------
// External tasks (K1, K2)

const workerId = z
	.string()
	.regex(WORKER_ID_RE, "1 to 100 visible ASCII characters")
	.meta({ description: "Your worker's name: the lock holder, shown on the task's page" });
const lockMs = z
	.int()
	.min(MIN_LOCK_MS)
	.max(MAX_LOCK_MS)
	.meta({ description: `How long the lock lasts, in ms (${MIN_LOCK_MS} to ${MAX_LOCK_MS})` });
const reportedAttempt = z
	.int()
	.min(1)
	.meta({ description: "The attempt you fetched: a report on another attempt is stale (T8)" });
const logLines = z
	.array(z.string().max(MAX_LOG_LINE_CHARS))
	.max(MAX_LOG_LINES)
	.optional()
	.meta({
		description: `Lines for the task's history, recorded with the outcome (at most ${MAX_LOG_LINES})`,
	});

export const fetchAndLockSchema = named(
	"FetchAndLock",
	z.strictObject({
		workerId,
		types: z
			.array(z.string().regex(TASK_TYPE_RE, "a task type's name"))
			.min(1)
			.max(MAX_TYPES_PER_FETCH)
			.refine((t) => new Set(t).size === t.length, "name each task type once")
			.meta({ description: "The external task types you serve" }),
		maxTasks: z
			.int()
			.min(1)
			.max(MAX_TASKS_PER_FETCH)
			.default(1)
			.meta({ description: `At most this many tasks (1 to ${MAX_TASKS_PER_FETCH}, default 1)` }),
		lockMs: lockMs.default(DEFAULT_LOCK_MS),
		waitMs: z
			.int()
			.min(0)
			.max(MAX_WAIT_MS)
			.default(0)
			.meta({
				description: `When no task is ready, wait up to this long (ms, at most ${MAX_WAIT_MS}) for one; default 0`,
			}),
	}),
);

export const lockedTaskSchema = named(
	"LockedTask",
	z.object({
		id: z.string().meta({ description: "The task id; report on it under /external-tasks/{id}/" }),
		processId: z.string(),
		taskType: z.string(),
		attempt: z.int().meta({ description: "Send it with every report on this task" }),
		params: z.record(z.string(), z.unknown()).meta({ description: "The merged params (T1)" }),
		idempotencyKey: z.string().meta({
			description:
				"processId:taskId, the same on every attempt: send it with your side effects (G3)",
		}),
		lockedUntil: z.int().meta({ description: "Epoch ms; extend the lock before it ends (K2)" }),
	}),
	"An external task locked for you",
);

export const fetchedSchema = named(
	"FetchedTasks",
	z.object({
		tasks: z.array(lockedTaskSchema),
		ignoredTypes: z
			.array(z.string())
			.optional()
			.meta({ description: "Types asked for that this token may not serve: none of theirs came" }),
	}),
);

export const completeExternalSchema = named(
	"CompleteExternalTask",
	z.strictObject({
		workerId,
		attempt: reportedAttempt,
		result: z.json().optional().meta({ description: "The task's result (any JSON)" }),
		log: logLines,
	}),
);

export const failExternalSchema = named(
	"FailExternalTask",
	z.strictObject({
		workerId,
		attempt: reportedAttempt,
		error: z.strictObject({
			message: z.string().min(1).max(1000),
			code: z
				.string()
				.regex(/^[A-Za-z0-9_.-]{1,64}$/, "1 to 64 letters, digits, _ . -")
				.optional()
				.meta({ description: "Matched by failure routes and error boundaries (R3, B4)" }),
		}),
		retryable: z.boolean().meta({
			description: "true: another attempt after the backoff, while attempts are left (T6)",
		}),
		log: logLines,
	}),
);

export const extendLockSchema = named(
	"ExtendLock",
	z.strictObject({ workerId, attempt: reportedAttempt, lockMs }),
);

export const reportProgressSchema = named(
	"ReportExternalProgress",
	z.strictObject({
		workerId,
		attempt: reportedAttempt,
		progress: z.int().min(0).max(100).meta({ description: "Percent; does not extend the lock" }),
	}),
);

export const reportedSchema = named(
	"ExternalTaskReported",
	z.object({
		taskId: z.string(),
		attempt: z.int(),
		stale: z.boolean().meta({
			description:
				"true: the report changed nothing (T8), see reason; stop working on this attempt",
		}),
		reason: z.enum(["finished", "superseded", "not_holder"]).optional().meta({
			description:
				"finished: the task or its process ended; superseded: your lock lapsed and the task was offered again; not_holder: you do not hold this attempt's lock",
		}),
		duplicate: z
			.boolean()
			.optional()
			.meta({ description: "This outcome was reported before and applied then" }),
		status: z.enum(TASK_STATUSES).meta({ description: "The task's status now" }),
		currentAttempt: z.int(),
		progress: z.int(),
		lockedUntil: z
			.int()
			.optional()
			.meta({ description: "While you hold the lock: until when (epoch ms)" }),
	}),
	"What a worker's report did",
);

// ---------------------------------------------------------------------------------------------
// Webhooks (admin)

export const createTrigger = named("CreateTrigger", createTriggerSchema);
export const updateTrigger = named("UpdateTrigger", updateTriggerSchema);
export const rotateSecret = named("RotateSecret", rotateSecretSchema);
export const triggerView = named("Trigger", triggerViewSchema);

export const triggerListSchema = named(
	"TriggerList",
	z.object({ items: z.array(triggerViewSchema) }),
);

export const triggerCreatedSchema = named(
	"TriggerCreated",
	z.object({
		trigger: triggerViewSchema,
		secret: z
			.string()
			.nullable()
			.meta({ description: "The generated secret, shown this once (null when you gave one)" }),
	}),
);

export const secretCreatedSchema = named(
	"SecretCreated",
	z.object({
		id: z.string(),
		secret: z.string().nullable().meta({ description: "The generated secret, shown this once" }),
		previousValidUntil: z.int().nullable(),
	}),
);

export const deliverySchema = named(
	"Delivery",
	z.object({
		id: z.string(),
		triggerKey: z.string(),
		deliveryId: z.string().nullable(),
		receivedAt: z.int(),
		status: z.enum(["accepted", "duplicate", "refused"]),
		httpStatus: z.int(),
		code: z.string().nullable(),
		reason: z.string().nullable(),
		processId: z.string().nullable(),
		taskId: z.string().nullable(),
		bodySize: z.int(),
		replayOf: z.string().nullable(),
		replayedBy: z.string().nullable(),
		replayable: z.boolean(),
	}),
);

export const deliveryDetailSchema = named(
	"DeliveryDetail",
	deliverySchema.extend({
		headers: z.record(z.string(), z.string()),
		body: z.string().nullable().meta({ description: "The raw body as text (UTF-8)" }),
	}),
);

export const deliveryPageSchema = page("DeliveryPage", deliverySchema);

export const deliveryListQuery = z.strictObject({
	status: z.enum(["accepted", "duplicate", "refused"]).optional(),
	limit: limitQuery,
	cursor: cursorQuery,
});

export const hookAcceptedSchema = named(
	"HookAccepted",
	z.object({
		deliveryId: z.string(),
		processId: z.string().optional(),
		taskId: z.string().optional(),
		url: z.string().optional(),
		keptUntil: z.int().optional().meta({
			description:
				"An event no task waited for yet: kept until then (epoch ms) for the first that will",
		}),
		duplicate: z.boolean().optional(),
		pong: z.boolean().optional(),
	}),
	"A delivery accepted (202), or a redelivery answered like the first",
);

export const replayedSchema = named("Replayed", hookAcceptedSchema.extend({ logId: z.string() }));

// ---------------------------------------------------------------------------------------------
// Operations on running processes (O1–O3) and the audit log

export const suspendSchema = z.strictObject({
	reason: z
		.string()
		.trim()
		.max(500)
		.optional()
		.meta({ description: "Shown to whoever is refused" }),
});

export const suspensionSchema = named(
	"Suspension",
	z.object({
		processId: z.string(),
		status: z.enum(PROCESS_STATUSES),
		suspended: z
			.object({ at: z.int(), by: z.string().optional(), reason: z.string().optional() })
			.nullable(),
	}),
);

export const correctValuesSchema = z.strictObject({
	taskId: z.string().max(300).optional().meta({
		description: "The failed task (or one with an open incident) to correct; none: the params",
	}),
	values: z
		.record(z.string(), z.unknown())
		.meta({ description: "The fields to change, new values" }),
});

export const correctedSchema = named(
	"Corrected",
	z.object({ processId: z.string(), revision: z.int() }),
);

export const migrationRequestSchema = z
	.strictObject({
		toVersion: z.int().min(1),
		mapping: z
			.record(z.string(), z.string().nullable())
			.default({})
			.meta({ description: "Node key → node key of the target version; null revokes its tasks" }),
		processIds: z.array(z.string().max(300)).min(1).max(100).optional(),
		filter: z
			.strictObject({
				fromVersion: z.int().min(1).optional(),
				after: z.string().max(300).optional().meta({ description: "The previous answer's next" }),
			})
			.optional()
			.meta({ description: "Instead of processIds: running processes of other versions" }),
		dryRun: z.boolean().default(true),
	})
	.refine((r) => !(r.processIds && r.filter), { message: "Give processIds or filter, not both." });

const migrationPlanSchema = z.object({
	from: z.int(),
	to: z.int(),
	moves: z.array(z.object({ taskId: z.string(), from: z.string(), to: z.string() })),
	revoked: z.array(z.object({ taskId: z.string(), node: z.string() })),
	tokens: z.array(z.object({ arrival: z.string(), from: z.string(), to: z.string() })),
	blockers: z.array(z.string()).meta({ description: "Why it cannot migrate; empty when it can" }),
});

export const migrationReportSchema = named(
	"MigrationReport",
	z.object({
		toVersion: z.int(),
		dryRun: z.boolean(),
		results: z.array(
			z.object({
				processId: z.string(),
				migrated: z.boolean(),
				plan: migrationPlanSchema.optional(),
				error: z.object({ code: z.string(), message: z.string() }).optional(),
			}),
		),
		next: z.string().nullable().meta({ description: "More selected by filter: pass as after" }),
	}),
);

const DAY_TEXT = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, "a day like 2027-03-14")
	.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "a day of the calendar");

export const bulkRequestSchema = z
	.strictObject({
		action: z.enum(["stop", "suspend", "resume", "retry", "migrate"]).meta({
			description:
				"stop, suspend, resume, retry (every failed task an admin could retry), migrate (O2)",
		}),
		filter: z
			.strictObject({
				workflow: z.string().max(100).optional(),
				status: z.enum(PROCESS_STATUSES).optional(),
				q: z.string().max(100).optional(),
				from: DAY_TEXT.optional().meta({ description: "Started on or after this day (UTC)" }),
				to: DAY_TEXT.optional().meta({ description: "Started on or before this day (UTC)" }),
				suspended: z.boolean().optional(),
			})
			.default({})
			.meta({ description: "The processes list's filters; the action adds its own condition" }),
		reason: z.string().max(500).optional().meta({ description: "suspend: why" }),
		toVersion: z.int().min(1).optional().meta({ description: "migrate: the target version" }),
		mapping: z
			.record(z.string(), z.string().nullable())
			.optional()
			.meta({ description: "migrate: node key → node key of the target version" }),
		preview: z
			.boolean()
			.default(false)
			.meta({ description: "true: only count (and, for a migration, the first dry runs)" }),
	})
	.refine((r) => r.action !== "migrate" || (r.toVersion !== undefined && r.filter.workflow), {
		message: "A migration needs filter.workflow and toVersion.",
	});

export const bulkPreviewSchema = named(
	"BulkPreview",
	z.object({
		action: z.string(),
		count: z.int().meta({ description: "The processes the action would act on" }),
		matching: z.int().meta({ description: "The processes the filters select" }),
		tooMany: z.boolean(),
		dryRun: z
			.array(
				z.object({ processId: z.string(), migrated: z.boolean(), blockers: z.array(z.string()) }),
			)
			.optional(),
	}),
);

export const bulkOperationSchema = named(
	"BulkOperation",
	z.object({
		id: z.string(),
		action: z.string(),
		status: z.enum(["running", "done", "cancelled"]),
		total: z.int(),
		succeeded: z.int(),
		skipped: z.int(),
		failed: z.int(),
		createdBy: z.string(),
		createdAt: z.int(),
		finishedAt: z.int().nullable(),
		problems: z
			.array(
				z.object({
					processId: z.string(),
					outcome: z.enum(["skipped", "failed"]),
					message: z.string().nullable(),
				}),
			)
			.meta({ description: "The latest processes skipped or failed (at most 50), and why" }),
	}),
);

export const auditQuery = z.strictObject({
	actor: z.string().max(100).optional(),
	action: z
		.string()
		.max(100)
		.optional()
		.meta({ description: 'An action ("process.suspended") or its subject ("process")' }),
	target: z.string().max(300).optional(),
	from: z.coerce.number().int().optional().meta({ description: "Epoch ms, inclusive" }),
	to: z.coerce.number().int().optional().meta({ description: "Epoch ms, inclusive" }),
	limit: limitQuery,
	cursor: cursorQuery,
});

export const auditPageSchema = page(
	"AuditPage",
	z.object({
		id: z.string(),
		at: z.int(),
		actor: z.string(),
		action: z.string(),
		target: z.string(),
		details: z.unknown(),
	}),
);
