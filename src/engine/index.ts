// The engine's public surface: definitions, compilation, process state, the step function and the
// read-only queries. Adapters import from here only.

export { pickAssignee, type RoleMember } from "./assign.ts";
export type {
	Actor,
	ClaimedJob,
	ClaimReply,
	Command,
	CommandType,
	CompleteReply,
	DeliverReply,
	FailReply,
	HandOverTarget,
	TaskHookName,
} from "./commands.ts";
export {
	type CompiledNode,
	type CompiledTransition,
	type CompiledWorkflow,
	type CompileResult,
	compileWorkflow,
	mustCompile,
} from "./compile.ts";
export {
	type CompiledCondition,
	type ConditionScope,
	compileCondition,
	evaluateCondition,
} from "./conditions.ts";
export { workflowDefinitionSchema } from "./definition-schema.ts";
export {
	DISPATCH_LOST,
	DISPATCH_TIMEOUT_MS,
	MAX_REDISPATCH_WAIT_MS,
	REDISPATCHES_BEFORE_INCIDENT,
} from "./dispatch.ts";
export { type Cycle, parseCycle, parseDuration, timerDueAt } from "./duration.ts";
export type { Effect, EffectType } from "./effects.ts";
export {
	EngineError,
	type EngineErrorCode,
	type EngineErrorData,
	fromErrorData,
	isEngineErrorData,
	toErrorData,
} from "./errors.ts";
export type { HistoryEvent, HistoryEventType } from "./events.ts";
export {
	type ExpressionResult,
	evaluateExpression,
	expressionSyntaxError,
	isExpression,
} from "./expressions.ts";
export { FEEL_KEYWORDS } from "./feel-names.ts";
export {
	FIELD_TYPES,
	type FieldSpec,
	type FieldType,
	fieldNameSchema,
	fieldSpecSchema,
	fieldValueSchema,
	formOfFields,
} from "./fields.ts";
export {
	describeForm,
	describeSchema,
	type FieldKind,
	type FormField,
	type JsonSchemaField,
} from "./form.ts";
export { type HandOverKind, MAX_HAND_OVER_NOTE } from "./hand-over.ts";
export { childProcessIdOf, processIdOfTask, taskIdOf } from "./ids.ts";
export {
	type MigrationOutcome,
	type MigrationPlan,
	migrateProcess,
	type NodeMapping,
	planMigration,
} from "./migration.ts";
export {
	allNodes,
	allTransitions,
	type Condition,
	DEFAULT_PRIORITY,
	DEFAULT_STEP_BUDGET,
	defineWorkflow,
	type ExternalTaskDefinition,
	findNodeDefinition,
	type JoinKind,
	type MultiInstanceDefinition,
	type NodeDefinition,
	type RoleDefinition,
	type ScheduleDefinition,
	type SplitKind,
	type StartField,
	type TransitionDefinition,
	type WorkflowDefinition,
} from "./model.ts";
export { checkParams, formSchema, mergedParams, type ParamsCheck } from "./params.ts";
export { describeTaskForm, offeredFields, type TaskForm } from "./person-fields.ts";
export type { Problem } from "./problems.ts";
export { lazyScope } from "./process-scope.ts";
export {
	type DueCommand,
	dueWork,
	failedTaskOf,
	isRetryable,
	isStuck,
	nextWakeAt,
	processProgress,
	waitingBranches,
} from "./queries.ts";
export {
	DEFAULT_SCHEDULE_TIMEZONE,
	dueSlots,
	latestSlot,
	nextSlot,
	planSlots,
	SCHEDULE_GRACE_MS,
	SKIPPED_COUNT_LIMIT,
	type SkippedSlots,
	type SlotPlan,
	scheduleLabel,
	scheduleProblems,
	scheduleTimeZone,
	slotWallTime,
} from "./schedules.ts";
export {
	defaultValues,
	type SimulationOptions,
	type SimulationResult,
	type SimulationScript,
	simulate,
	traceOf,
} from "./simulation.ts";
export { checkStartParams, type StartParamsCheck, startFormSchema } from "./start-form.ts";
export {
	ACTIVE_TASK_STATUSES,
	type ActiveTaskStatus,
	type Arrival,
	type CreateProcessInit,
	createProcess,
	FINISHED_PROCESS_STATUSES,
	findTask,
	type HeldCommand,
	type Incident,
	isActiveTaskStatus,
	isProcessFinished,
	isTaskActive,
	type MessageWait,
	type MultiInstanceState,
	type ProcessState,
	type ProcessStatus,
	processCreatedEvent,
	RUNNING_PROCESS_STATUSES,
	type StartMessage,
	type StepContext,
	type TaskState,
	type TaskStatus,
} from "./state.ts";
export { type StepOutcome, step } from "./step.ts";
export { boundLogLine, boundLogLines, MAX_LOG_LINE_CHARS, MAX_LOG_LINES } from "./task-log.ts";
export {
	backoffSeconds,
	catalogOf,
	DEFAULT_RETRY,
	type ExecutionMode,
	type RetryPolicy,
	type TaskCatalog,
	type TaskTypeSpec,
} from "./task-type-spec.ts";
export { CLAIM_LEASE_MS, LEASE_MS } from "./tasks.ts";
export { formatSpan, type WaitingReason, waitingReasons } from "./waiting-reasons.ts";
