// When something is due, should be looked at again, or fires, in words measured from the request's
// time: "due in 3 h", "overdue by 2 days", "fires in 1 h 59 min". The inbox, the task page, the
// process page and the diagram all word dates here, so a task reads the same everywhere. The exact
// date goes with the words (a <time>'s datetime and title), since "in 3 h" ages as the page stays.
import { exactMoment } from "./format.ts";

/** A date in words against `now`, with the exact date beside it. */
export interface DateWords {
	/** For `<time datetime>`. */
	iso: string;
	/** The exact date, "2026-12-05 21:00 UTC", for the title. */
	text: string;
	/** The relative words: "due in 3 h", "overdue by 2 days". */
	words: string;
	/** Past: an active task overdue, or a follow-up date reached. */
	isPast: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A span rounded to the one unit a reader needs for a deadline: "less than a minute", "25 min",
 * "3 h", "2 days". Coarser than `duration`: "due in 3 h" reads better than "due in 2 h 58 min".
 */
export function roughSpan(ms: number): string {
	const abs = Math.abs(ms);
	if (abs < MINUTE) return "less than a minute";
	const minutes = Math.round(abs / MINUTE);
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.round(abs / HOUR);
	// 23 h 40 min rounds to 24 h, which a reader counts as a day.
	if (hours < 24) return `${hours} h`;
	const days = Math.round(abs / DAY);
	return `${days} day${days === 1 ? "" : "s"}`;
}

/**
 * H1: a task's due date. Only an active task can be overdue: one that ended shows the plain date.
 */
export function dueWords(at: number, now: number, isActive = true): DateWords {
	const exact = exactMoment(at);
	if (!isActive) return { ...exact, words: `due ${exact.text}`, isPast: false };
	if (at <= now) return { ...exact, words: `overdue by ${roughSpan(now - at)}`, isPast: true };
	return { ...exact, words: `due in ${roughSpan(at - now)}`, isPast: false };
}

/** H1: a task's follow-up date: when to look at it again. */
export function followUpWords(at: number, now: number, isActive = true): DateWords {
	const exact = exactMoment(at);
	if (!isActive) return { ...exact, words: `follow up ${exact.text}`, isPast: false };
	if (at <= now) {
		return { ...exact, words: `follow-up reached ${roughSpan(now - at)} ago`, isPast: true };
	}
	return { ...exact, words: `follow up in ${roughSpan(at - now)}`, isPast: false };
}

/**
 * A running timer's countdown, to the minute (a person watching a timer wants "1 h 59 min", not
 * "2 h"). Past its date the alarm is about to fire it: "fires now".
 */
export function firesWords(at: number, now: number): DateWords {
	const exact = exactMoment(at);
	if (at <= now) return { ...exact, words: "fires now", isPast: true };
	return { ...exact, words: `fires in ${countdown(at - now)}`, isPast: false };
}

/**
 * "45 s", "1 h 59 min", "1 day 23 h", "12 days": units are truncated, so a countdown never promises
 * more time than is left.
 */
function countdown(ms: number): string {
	if (ms < MINUTE) return `${Math.max(1, Math.ceil(ms / 1000))} s`;
	const minutes = Math.floor(ms / MINUTE);
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
	const days = Math.floor(hours / 24);
	const unit = `${days} day${days === 1 ? "" : "s"}`;
	return days < 7 && hours % 24 ? `${unit} ${hours % 24} h` : unit;
}

/**
 * K2: an external task's lock, to the second while it is short (a worker extends it as it goes):
 * "locked for 45 s more". Past its end the process is about to offer the task again.
 */
export function lockWords(until: number, now: number): DateWords {
	const exact = exactMoment(until);
	if (until <= now) return { ...exact, words: "lock lapsed, offered again", isPast: true };
	return { ...exact, words: `locked for ${countdown(until - now)} more`, isPast: false };
}
