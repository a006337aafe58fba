// Timer event definitions as Baton's timers: a `wait` task's duration, date or cycle (B3) for
// catch and boundary events, and a schedule (Q1) for a timer start event. BPMN writes durations,
// dates and cycles in ISO 8601 (`PT2H`, `2030-01-31T09:00:00Z`, `R3/PT1H`) or as expressions;
// Camunda also writes cycles as cron. What Baton's timers cannot say is refused or, for starts,
// left to starting by hand, said in a warning.
import type { ModdleElement } from "bpmn-moddle";
import { parseCycle, parseDuration, type ScheduleDefinition } from "../engine/index.ts";
import { parseJson } from "./import-baton.ts";
import type { ImportContext } from "./import-context.ts";
import { settingToFeel } from "./import-expressions.ts";
import { oneLine } from "./import-report.ts";
import { expressionText } from "./moddle-access.ts";
import { BATON_ATTR, BATON_NS } from "./vocabulary.ts";

type TimerParams = { duration: string } | { until: string } | { cycle: string };

/** The params of the `wait` task of a timer catch or boundary event, or undefined if refused. */
export function timerParams(
	el: ModdleElement,
	definition: ModdleElement,
	place: "boundary" | "catch",
	ctx: ImportContext,
): TimerParams | undefined {
	const duration = expressionText(definition.timeDuration);
	const date = expressionText(definition.timeDate);
	const cycle = expressionText(definition.timeCycle);
	if (duration) {
		const value = setting(duration, "duration", el, ctx);
		return value === undefined ? undefined : { duration: value };
	}
	if (date) {
		const value = setting(date, "date", el, ctx);
		return value === undefined ? undefined : { until: value };
	}
	if (cycle) return cycleParams(cycle, place, el, ctx);
	ctx.report.refuse(
		el,
		"TIMER_WITHOUT_TIME",
		"the timer gives no date, duration or cycle, so it could never fire",
	);
	return undefined;
}

function cycleParams(
	text: string,
	place: "boundary" | "catch",
	el: ModdleElement,
	ctx: ImportContext,
): TimerParams | undefined {
	const iso = isoCycle(text);
	if (!iso) {
		ctx.report.refuse(
			el,
			"TIMER_CYCLE",
			`the cycle "${text}" is not an ISO repetition (R3/PT1H); Baton's timers do not read cron or expressions here`,
		);
		return undefined;
	}
	if (iso.start !== undefined) {
		ctx.report.warn(
			el,
			"TIMER_CYCLE_START",
			`the cycle's start date ${iso.start} is not kept: it counts from when the task begins`,
		);
	}
	if (place === "boundary") return { cycle: iso.cycle };
	ctx.report.warn(
		el,
		"TIMER_CYCLE_ON_CATCH",
		`a waiting event fires once: it waits ${iso.period}, the cycle's first period`,
	);
	return { duration: iso.period };
}

/** `R3/PT1H` or `R/2030-01-01T09:00:00Z/P1D` → the cycle Baton reads, its period, its start. */
function isoCycle(
	text: string,
): { cycle: string; period: string; start?: string; repetitions: number | null } | undefined {
	const parts = text.trim().split("/");
	const repeat = parts[0];
	if (!repeat || !/^R\d*$/i.test(repeat) || parts.length < 2 || parts.length > 3) return undefined;
	const period = parts[parts.length - 1] as string;
	const cycle = `${repeat.toUpperCase()}/${period}`;
	const parsed = parseCycle(cycle);
	if (!parsed) return undefined;
	const out: { cycle: string; period: string; start?: string; repetitions: number | null } = {
		cycle,
		period,
		repetitions: parsed.repetitions,
	};
	if (parts.length === 3) out.start = parts[1] as string;
	return out;
}

/** A duration or date as a `wait` param: ISO text as it is, an expression as `= FEEL`. */
function setting(
	text: string,
	kind: "duration" | "date",
	el: ModdleElement,
	ctx: ImportContext,
): string | undefined {
	const read = settingToFeel(text);
	if (!read.ok) {
		ctx.report.refuse(
			el,
			"TIMER_EXPRESSION",
			`the timer's ${kind} ${text} is not read: ${read.why}`,
		);
		return undefined;
	}
	if (!("literal" in read)) return read.expression;
	const valid =
		kind === "duration"
			? parseDuration(read.literal) !== null
			: !Number.isNaN(Date.parse(read.literal));
	if (!valid) {
		ctx.report.refuse(
			el,
			"TIMER_VALUE",
			kind === "duration"
				? `"${read.literal}" is not a duration Baton reads (ISO 8601 such as PT2H or P3D; months and years have no fixed length)`
				: `"${read.literal}" is not an ISO date`,
		);
		return undefined;
	}
	return read.literal;
}

/**
 * The schedule (Q1) of a timer start event: a date → one start `at` it, a cycle → a cron; a Baton
 * export's `baton:cron`, `baton:timezone` and `baton:params` as written. What a schedule cannot
 * say is not kept (the workflow still starts by hand), said in a warning.
 */
export function scheduleOf(
	el: ModdleElement,
	definition: ModdleElement,
	ctx: ImportContext,
): ScheduleDefinition | undefined {
	const baton = (name: string) => el.$attrs?.[`${BATON_NS.prefix}:${name}`];
	const named = (s: ScheduleDefinition): ScheduleDefinition => {
		const out = { ...s };
		if (el.name?.trim()) out.name = oneLine(el.name).slice(0, 100);
		const params = parseJson(baton("params"));
		if (params) out.params = params;
		return out;
	};
	const notKept = (why: string) => {
		ctx.report.warn(el, "TIMER_START_NOT_SCHEDULED", `${why}; the workflow starts by hand only`);
		return undefined;
	};
	const batonCron = baton(BATON_ATTR.cron);
	if (batonCron !== undefined) {
		const timezone = baton(BATON_ATTR.timezone);
		return named(timezone === undefined ? { cron: batonCron } : { cron: batonCron, timezone });
	}
	const date = expressionText(definition.timeDate);
	const cycle = expressionText(definition.timeCycle);
	const duration = expressionText(definition.timeDuration);
	if (date) {
		if (Number.isNaN(Date.parse(date))) return notKept(`the start date ${date} is not an ISO date`);
		return named({ at: date });
	}
	if (cycle) {
		const cron = cronOf(cycle);
		if (cron) return named({ cron });
		const iso = isoCycle(cycle);
		const periodCron = iso ? cronForPeriod(iso.period, iso.start) : undefined;
		if (!iso || !periodCron) {
			return notKept(`the cycle ${cycle} has no five-field cron form`);
		}
		if (iso.repetitions !== null) {
			ctx.report.warn(
				el,
				"TIMER_START_REPEATS_FOREVER",
				`the cycle ${cycle} repeats ${iso.repetitions} times; a schedule repeats until it is removed`,
			);
		}
		return named({ cron: periodCron });
	}
	if (duration) return notKept(`a start ${duration} after deployment has no schedule form`);
	return notKept("the timer start gives no date or cycle");
}

/** A cron of five fields, or six or seven (Quartz, Spring: seconds first, a year last) at second 0. */
function cronOf(text: string): string | undefined {
	const fields = text.trim().split(/\s+/);
	if (fields.length < 5 || fields.length > 7) return undefined;
	if (!fields.every((f) => /^[\d*/,?LW#A-Za-z-]+$/.test(f))) return undefined;
	let five = fields;
	if (fields.length >= 6) {
		if (fields[0] !== "0") return undefined;
		five = fields.slice(1, 6);
		const year = fields[6];
		if (year !== undefined && year !== "*" && year !== "?") return undefined;
	}
	return five.map((f) => (f === "?" ? "*" : f)).join(" ");
}

/** A cron for an ISO period that divides a day or is a day or a week, aligned on its start. */
function cronForPeriod(period: string, start: string | undefined): string | undefined {
	const ms = parseDuration(period);
	if (ms === null || ms <= 0 || ms % 60_000 !== 0) return undefined;
	const at = start === undefined ? undefined : new Date(start);
	if (at !== undefined && Number.isNaN(at.getTime())) return undefined;
	const minute = at?.getUTCMinutes() ?? 0;
	const hour = at?.getUTCHours() ?? 0;
	const minutes = ms / 60_000;
	if (minutes < 60 && 60 % minutes === 0)
		return minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
	if (minutes % 60 === 0 && minutes < 1440 && 1440 % minutes === 0) {
		const hours = minutes / 60;
		return hours === 1 ? `${minute} * * * *` : `${minute} */${hours} * * *`;
	}
	if (minutes === 1440) return `${minute} ${hour} * * *`;
	if (minutes === 7 * 1440) return `${minute} ${hour} * * ${at?.getUTCDay() ?? 1}`;
	return undefined;
}
