// What a ProcessObject must send after a step commits, derived from the engine's effects. Rows of
// the outbox are written in the step's transaction and sent afterwards, so nothing is lost (G6).
import type { Effect } from "../engine/index.ts";
import type { TaskMessage } from "../queue/messages.ts";

type EffectOf<T extends Effect["type"]> = Extract<Effect, { type: T }>;

export type OutboxMessage =
	| { kind: "queue"; body: TaskMessage; delaySeconds: number }
	/**
	 * Bring the D1 index up to date: the process row and these tasks. `lazy`: written by a step in
	 * the middle of automated work (a claim, a dispatch), so it may wait a moment and be merged
	 * with the next ones (outbox-drain.ts, `indexDue`).
	 */
	| { kind: "index"; taskIds: string[]; lazy?: boolean }
	| { kind: "assign"; taskId: string; role: string }
	| ({ kind: "start-child" } & Omit<EffectOf<"StartSubprocess">, "type">)
	| { kind: "stop-child"; taskId: string; childProcessId: string }
	| ({ kind: "notify-parent"; parent: NonNullable<EffectOf<"FinishProcess">["parent"]> } & Pick<
			EffectOf<"FinishProcess">,
			"status" | "results" | "error"
	  >)
	/** N1: tell the message's box that the task waits for it, or no longer does. */
	| ({ kind: "subscribe" } & Omit<EffectOf<"Subscribe">, "type">)
	| ({ kind: "unsubscribe" } & Omit<EffectOf<"Unsubscribe">, "type">)
	/** N2: a `send` task's message, published (its id makes a second send the same message). */
	| ({ kind: "publish" } & Omit<EffectOf<"PublishMessage">, "type">)
	/**
	 * K1: an external task's attempt, offered on its type's board once `availableAt` (epoch ms) has
	 * come: the step's time plus the retry's backoff, so a replayed row keeps its moment.
	 */
	| ({ kind: "offer"; availableAt: number } & Omit<EffectOf<"OfferTask">, "type" | "delaySeconds">)
	/** K1: the task was revoked (or its process ended): off its type's board. */
	| ({ kind: "withdraw" } & Omit<EffectOf<"WithdrawOffer">, "type">);

/**
 * The messages a step's effects call for; effects carried out by the state itself are skipped.
 * `now` is the step's time, from which delays count.
 */
export function messagesFor(processId: string, effects: Effect[], now: number): OutboxMessage[] {
	const out: OutboxMessage[] = [];
	for (const effect of effects) {
		switch (effect.type) {
			case "DispatchTask":
				out.push({
					kind: "queue",
					body: { type: "run", processId, taskId: effect.taskId, attempt: effect.attempt },
					delaySeconds: effect.delaySeconds,
				});
				break;
			case "RevokeTask":
				out.push({
					kind: "queue",
					body: {
						type: "revoke",
						processId,
						taskId: effect.taskId,
						attempt: effect.attempt,
						taskType: effect.taskType,
					},
					delaySeconds: 0,
				});
				break;
			case "PickAssignee":
				out.push({ kind: "assign", taskId: effect.taskId, role: effect.role });
				break;
			case "StartSubprocess": {
				const { type: _type, ...rest } = effect;
				out.push({ kind: "start-child", ...rest });
				break;
			}
			case "StopSubprocess":
				out.push({
					kind: "stop-child",
					taskId: effect.taskId,
					childProcessId: effect.childProcessId,
				});
				break;
			case "FinishProcess":
				if (effect.parent) {
					out.push({
						kind: "notify-parent",
						parent: effect.parent,
						status: effect.status,
						results: effect.results,
						// X1: the child's error code, for an error boundary on the parent's task.
						...(effect.error ? { error: effect.error } : {}),
					});
				}
				break;
			case "Subscribe": {
				const { type: _type, ...rest } = effect;
				out.push({ kind: "subscribe", ...rest });
				break;
			}
			case "Unsubscribe": {
				const { type: _type, ...rest } = effect;
				out.push({ kind: "unsubscribe", ...rest });
				break;
			}
			case "PublishMessage": {
				const { type: _type, ...rest } = effect;
				out.push({ kind: "publish", ...rest });
				break;
			}
			case "OfferTask": {
				const { type: _type, delaySeconds, ...rest } = effect;
				out.push({ kind: "offer", ...rest, availableAt: now + delaySeconds * 1000 });
				break;
			}
			case "WithdrawOffer":
				out.push({ kind: "withdraw", taskId: effect.taskId, taskType: effect.taskType });
				break;
			// Timers live in the state (the alarm reads nextWakeAt); input requests and incidents
			// reach people through the index.
			case "SetTimer":
			case "CancelTimer":
			case "RequestInput":
			case "RaiseIncident":
				break;
		}
	}
	return out;
}
