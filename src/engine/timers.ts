// When timers fire and tasks fall due (B3, H1): a `wait` task's or timer boundary's due time from
// its params (a duration, a date, a cycle, FEEL, or its host's due date), and a node's due and
// follow-up dates. Pure: `now` and the FEEL scope are passed in.
import { parseCycle, parseDuration, parseInstant } from "./duration.ts";
import { evaluateExpression, isExpression } from "./expressions.ts";
import type { TaskState } from "./state.ts";

export type TimerPlan =
	| { ok: true; dueAt: number | null; cycle?: { remaining: number | null; everyMs: number } }
	| { ok: false; message: string };

/** What a FEEL expression in a timer or date sees. */
export type TimeScope = Record<string, unknown>;

/**
 * B3: when a timer is due. `at` takes the host's due or follow-up date (null: it has none, so the
 * timer never fires); a cycle fires first one period from now; `until` wins over `duration`.
 */
export function planTimer(
	params: Record<string, unknown>,
	scope: TimeScope,
	now: number,
	host?: TaskState,
): TimerPlan {
	if (params.at === "due" || params.at === "followUp") {
		const at = params.at === "due" ? host?.dueAt : host?.followUpAt;
		return { ok: true, dueAt: at ?? null };
	}
	if (typeof params.cycle === "string") {
		const cycle = parseCycle(params.cycle);
		if (!cycle) return { ok: false, message: `"${params.cycle}" is not a cycle such as R3/PT1H` };
		const remaining = cycle.repetitions === null ? null : cycle.repetitions - 1;
		return { ok: true, dueAt: now + cycle.everyMs, cycle: { remaining, everyMs: cycle.everyMs } };
	}
	if (params.until !== undefined) return asPlan(instantOf(params.until, scope, now, "until"));
	if (params.duration !== undefined) {
		return asPlan(instantOf(params.duration, scope, now, "duration"));
	}
	return { ok: false, message: "a timer needs until, duration, cycle or at" };
}

function asPlan(at: Instant): TimerPlan {
	return at.ok ? { ok: true, dueAt: at.at } : at;
}

type Instant = { ok: true; at: number } | { ok: false; message: string };

/**
 * H1: a moment given as a duration from now ("P2D", "30s", seconds as a number), an ISO date, or
 * FEEL giving either. `kind` says which a plain value is read as.
 */
export function instantOf(
	value: unknown,
	scope: TimeScope,
	now: number,
	kind: "until" | "duration",
): Instant {
	let v = value;
	if (isExpression(v)) {
		const evaluated = evaluateExpression(v, scope);
		if (!evaluated.ok) return { ok: false, message: `${String(value)}: ${evaluated.message}` };
		v = evaluated.value;
		if (v === null) return { ok: false, message: `${String(value)} gave no value` };
	}
	if (typeof v === "number" && Number.isFinite(v)) {
		return { ok: true, at: kind === "duration" ? now + Math.max(0, v) * 1000 : v };
	}
	if (typeof v === "string") {
		const ms = parseDuration(v);
		if (ms !== null && (kind === "duration" || !/^\d{4}-/.test(v)))
			return { ok: true, at: now + ms };
		const at = parseInstant(v);
		if (at !== null) return { ok: true, at };
	}
	return {
		ok: false,
		message: `${JSON.stringify(value)} is neither a duration ("P2D", "30s") nor a date`,
	};
}
