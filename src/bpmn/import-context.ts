// What the parts of an import share while they read one process: the report, the task catalog,
// the keys already given, the roles and schedules found, and the file's messages and forms.
import type { ModdleElement } from "bpmn-moddle";
import type {
	NodeDefinition,
	ScheduleDefinition,
	TaskCatalog,
	TransitionDefinition,
	WorkflowDefinition,
} from "../engine/index.ts";
import type { ImportReport } from "./import-report.ts";
import { toKey } from "./vocabulary.ts";

export interface BpmnImportOptions {
	/** The workflow's key (default: the process id as a key). */
	key?: string;
	/** The workflow's name (default: the process's or its pool's name). */
	name?: string;
	/** The id of the process to import, when the file holds several (default: see pickProcess). */
	process?: string;
	/** The task types a job type (`zeebe:taskDefinition`, `camunda:topic`) may name. */
	catalog?: TaskCatalog;
	/**
	 * A job type no task type of the catalog has: declare it as one of the workflow's `external`
	 * task types, served by workers outside Baton (K1, the default); `refuse` the file; or import
	 * the step as a `placeholder` that does nothing, reported, and the workflow not called valid
	 * (the simulator runs no external workers).
	 */
	unknownTaskTypes?: UnknownTaskTypes;
}

export type UnknownTaskTypes = "external" | "refuse" | "placeholder";

export interface ImportContext {
	report: ImportReport;
	catalog: TaskCatalog;
	unknownTaskTypes: UnknownTaskTypes;
	/** K1: the job types declared as the workflow's external task types, by Baton name. */
	externalTasks: NonNullable<WorkflowDefinition["externalTasks"]>;
	/** The file is Baton's own export: its attributes say exactly what BPMN approximates. */
	fromBaton: boolean;
	/** The `<definitions>`: messages, errors, signals, other processes. */
	definitions: ModdleElement;
	process: ModdleElement;
	/** The file's default expression language (`expressionLanguage` on the definitions). */
	expressionLanguage: string | undefined;
	keys: KeyAllocator;
	/** BPMN id → node key. */
	keyOf: Map<string, string>;
	/** The id of each BPMN element that became a node → its key (for the author's drawing). */
	drawnNodes: Map<string, string>;
	/** The sequence flow each transition came from (for the author's drawing). */
	flowOf: Map<TransitionDefinition, string>;
	/** A node was made that the file does not draw: the drawing cannot be kept. */
	undrawn: boolean;
	/** The pool of the imported process, when the file has a collaboration. */
	participant: ModdleElement | undefined;
	/** Role key → name, in the order found. */
	roles: Map<string, string>;
	/** Role key → name of the roles that assignments name (a group, an assignee, a resource). */
	assignedRoles: Map<string, string>;
	/** BPMN flow node id → the role of its lane. */
	laneRoles: Map<string, { key: string; name: string }>;
	schedules: ScheduleDefinition[];
	/** Message flows of the file's collaborations. */
	messageFlows: ModdleElement[];
	/** Camunda 8's embedded forms (`zeebe:userTaskForm`) by id. */
	embeddedForms: Map<string, ModdleElement>;
	/** Steps standing in for a task type Baton does not have. */
	placeholders: number;
	/** Gateways a person decides (their choice routes; it does no work of its own). */
	decisions: Set<string>;
	/** Variables a form asks for (so none is asked twice). */
	askedNames: Set<string>;
	/** User tasks with no form Baton can read, to be given questions once the graph is known. */
	formless: FormlessTask[];
}

/** The nodes and transitions of one level: the process, or a scope's inside (C1). */
export interface Graph {
	nodes: NodeDefinition[];
	transitions: TransitionDefinition[];
}

/** A flow node of a level and the node it became. */
export interface Placed {
	el: ModdleElement;
	node: NodeDefinition;
	formless?: boolean;
}

/** A user task with no readable form, and the graph it sits in. */
export interface FormlessTask {
	el: ModdleElement;
	node: NodeDefinition;
	graph: Graph;
}

/** Node keys, unique in the whole workflow (C1): a BPMN id as a key, suffixed when it is taken. */
export class KeyAllocator {
	private readonly used = new Set<string>();

	claim(text: string): string {
		const base = toKey(text);
		let key = base;
		for (let n = 2; this.used.has(key); n++) {
			const suffix = `_${n}`;
			key = `${base.slice(0, 64 - suffix.length)}${suffix}`;
		}
		this.used.add(key);
		return key;
	}
}
