// What the adapter must carry out after a step: queue messages, timers, subprocesses, revocations,
// the end of the process. The engine only describes them.
import type { Incident } from "./state.ts";

export type Effect =
	/** A queue message for a job. */
	| { type: "DispatchTask"; taskId: string; attempt: number; delaySeconds: number }
	/** K1: an external task's attempt is offered to the workers of its type (after a delay). */
	| {
			type: "OfferTask";
			taskId: string;
			attempt: number;
			taskType: string;
			priority: number;
			delaySeconds: number;
	  }
	/** K1: the external task is no longer to be offered (revoked, or its process ended). */
	| { type: "WithdrawOffer"; taskId: string; taskType: string }
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
			/** X1: the error a FAILURE ended with (an error end event's code, or an uncaught failure). */
			error?: { message: string; code?: string };
	  }
	| { type: "RaiseIncident"; incident: Incident }
	/** N1: a task or boundary now waits for this message (the adapter delivers a kept one). */
	| { type: "Subscribe"; taskId: string; name: string; correlationKey: string }
	/** N1: the wait ended without this message (revoked, or its host ended). */
	| { type: "Unsubscribe"; taskId: string; name: string; correlationKey: string }
	/**
	 * N2: a `send` task published a message. `messageId` is derived from the task, so a replayed
	 * outbox publishes the same message again and the receiver keeps one.
	 */
	| {
			type: "PublishMessage";
			taskId: string;
			messageId: string;
			name: string;
			correlationKey: string;
			payload: unknown;
			ttlSeconds?: number;
	  };

export type EffectType = Effect["type"];
