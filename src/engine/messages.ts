// N1–N2: what a `message` wait subscribes to and what a `send` task publishes, from their params.
// A correlation key or payload given as `= …` is FEEL over params and process. Pure.
import { parseDuration } from "./duration.ts";
import { evaluateExpression, isExpression } from "./expressions.ts";
import type { MessageWait } from "./state.ts";

type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

function resolve(raw: unknown, scope: Record<string, unknown>): Outcome<unknown> {
	if (!isExpression(raw)) return { ok: true, value: raw };
	const evaluated = evaluateExpression(raw, scope);
	return evaluated.ok
		? { ok: true, value: evaluated.value }
		: { ok: false, message: `${raw}: ${evaluated.message}` };
}

/**
 * N1: the correlation key as text. Absent: "" (a message published with no key). A key that
 * evaluates to nothing, a list or an object is refused: it could never be matched on purpose.
 */
export function correlationKeyOf(raw: unknown, scope: Record<string, unknown>): Outcome<string> {
	if (raw === undefined) return { ok: true, value: "" };
	const key = resolve(raw, scope);
	if (!key.ok) return key;
	const v = key.value;
	if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
		return { ok: true, value: String(v) };
	}
	return {
		ok: false,
		message: `the correlation key ${String(raw)} gave ${JSON.stringify(v)}, not a text or a number`,
	};
}

/** N1: the wait of a `message` task: its name (`message`, default "event") and key. */
export function messageWaitOf(
	params: Record<string, unknown>,
	scope: Record<string, unknown>,
): Outcome<MessageWait> {
	const key = correlationKeyOf(params.correlationKey, scope);
	if (!key.ok) return key;
	return {
		ok: true,
		value: { name: String(params.message ?? "event"), correlationKey: key.value },
	};
}

export interface OutgoingMessage extends MessageWait {
	payload: unknown;
	ttlSeconds?: number;
}

/** N2: the message a `send` task publishes. */
export function outgoingMessageOf(
	params: Record<string, unknown>,
	scope: Record<string, unknown>,
): Outcome<OutgoingMessage> {
	const wait = messageWaitOf(params, scope);
	if (!wait.ok) return wait;
	const payload = resolve(params.payload ?? null, scope);
	if (!payload.ok) return payload;
	const out: OutgoingMessage = { ...wait.value, payload: payload.value };
	if (typeof params.ttl === "string") {
		const ms = parseDuration(params.ttl);
		if (ms !== null) out.ttlSeconds = Math.ceil(ms / 1000);
	}
	return { ok: true, value: out };
}

/** N2: a message id derived from the task and attempt, so a replayed outbox publishes it once. */
export function messageIdOf(taskId: string, attempt: number): string {
	return `${taskId}#${attempt}`;
}
