// Durations and due dates for timer tasks: "30s", "5m", "2h", "1d", "1w" or ISO-8601 ("PT30S",
// "P1DT2H"); an absolute `until` is an ISO date. Pure: `now` is passed in.

const UNIT_MS: Record<string, number> = {
	ms: 1,
	s: 1000,
	m: 60_000,
	h: 3_600_000,
	d: 86_400_000,
	w: 604_800_000,
};

const SHORT = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;
const ISO =
	/^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of a duration, or null when it is not one (years and months are refused: ambiguous). */
export function parseDuration(text: string): number | null {
	const value = text.trim();
	const short = SHORT.exec(value);
	if (short) return Math.round(Number(short[1]) * (UNIT_MS[short[2] as string] as number));
	const iso = ISO.exec(value.toUpperCase());
	if (!iso || value.length < 2 || /T$/i.test(value) || value.toUpperCase() === "P") return null;
	const units = ["w", "d", "h", "m", "s"];
	let total = 0;
	units.forEach((unit, k) => {
		const part = iso[k + 1];
		if (part !== undefined) total += Number(part) * (UNIT_MS[unit] as number);
	});
	return Math.round(total);
}

/** Epoch ms of an ISO date/date-time, or null. */
export function parseInstant(text: string): number | null {
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? null : ms;
}

/** When a timer task is due: `until` (ISO date) wins over `duration`; null when neither is usable. */
export function timerDueAt(params: Record<string, unknown>, now: number): number | null {
	if (typeof params.until === "string") return parseInstant(params.until);
	if (typeof params.duration === "string") {
		const ms = parseDuration(params.duration);
		return ms === null ? null : now + ms;
	}
	if (typeof params.duration === "number" && Number.isFinite(params.duration)) {
		return now + Math.max(0, params.duration) * 1000;
	}
	return null;
}

/** B3: a repeating timer, `R3/PT1H` (three firings, hourly) or `R/PT1H` (no limit). */
export interface Cycle {
	/** Firings in all; null for no limit. */
	repetitions: number | null;
	everyMs: number;
}

const CYCLE = /^R(\d*)\/(.+)$/i;

/** The cycle of `R<n>/<duration>`, or null; a zero period or zero repetitions is refused. */
export function parseCycle(text: string): Cycle | null {
	const match = CYCLE.exec(text.trim());
	if (!match) return null;
	const everyMs = parseDuration(match[2] as string);
	if (everyMs === null || everyMs <= 0) return null;
	const repetitions = match[1] === "" ? null : Number(match[1]);
	if (repetitions !== null && repetitions < 1) return null;
	return { repetitions, everyMs };
}
