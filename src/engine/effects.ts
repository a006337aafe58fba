// What the adapter must carry out after a step: queue messages, timers, subprocesses, revocations,
// the end of the process. The engine only describes them.
import type { Incident } from "./state.ts";

export type Effect =
	/** A queue message for a job. */
	| { type: "DispatchTask"; taskId: string; attempt: number; delaySeconds: number }
	| { type: "RequestInput"; taskId: string; role?: string; requiredFields: string[] }
	/** The adapter answers with AssignTask (pickAssignee over the role's members). */
	| { type: "PickAssignee"; taskId: string; role: string }
	| { type: "SetTimer"; taskId: string; dueAt: number }
	| { type: "CancelTimer"; taskId: string }
	| {
			type: "StartSubprocess";
			taskId: string;
			childProcessId: string;
			workflow: string;
			version?: number;
			params: Record<string, unknown>;
			priority: number;
	  }
	| { type: "StopSubprocess"; taskId: string; childProcessId: string }
	/** The consumer runs the task type's onRevoke. */
	| { type: "RevokeTask"; taskId: string; attempt: number; taskType: string }
	| {
			type: "FinishProcess";
			status: "SUCCESS" | "FAILURE" | "REVOKED";
			results: unknown[];
			parent?: { processId: string; taskId: string };
	  }
	| { type: "RaiseIncident"; incident: Incident };

export type EffectType = Effect["type"];
