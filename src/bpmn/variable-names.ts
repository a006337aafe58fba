// Process variable names as Baton can read them. Modelers name data as they speak ("Vacation
// Approval", "Service Level"); FEEL allows such names, but Baton's process variables (R5) and form
// fields are plain identifiers. An import writes each as one word joined by underscores
// ("Vacation_Approval"), the same way in forms, conditions and settings, so they still meet.
import { FEEL_KEYWORDS } from "../engine/index.ts";

/** A name as a plain identifier: "Vacation Approval" → "Vacation_Approval". */
export function variableName(text: string): string {
	const joined = text
		.normalize("NFKD")
		.replace(/[\u0300-\u036f]/g, "")
		.trim()
		.replace(/[^A-Za-z0-9_]+/g, "_")
		.replace(/^_+|_+$/g, "");
	const name = /^[A-Za-z]/.test(joined) ? joined : `v_${joined}`;
	return name.slice(0, 64);
}

const TOKEN = /"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|\s+|[\s\S]/g;

/**
 * A FEEL expression with its names of several words joined by underscores (`Vacation Approval =
 * "Approved"` → `Vacation_Approval = "Approved"`). Words before `(` are a function's name (`string
 * join(…)`) and stay; text in quotes stays. Returns the names it joined.
 */
export function joinSpacedNames(feel: string): { feel: string; joined: string[] } {
	const tokens = feel.match(TOKEN) ?? [];
	const out: string[] = [];
	const joined: string[] = [];
	let i = 0;
	while (i < tokens.length) {
		const run = wordRun(tokens, i);
		if (run.words.length < 2 || nextSolid(tokens, run.end) === "(") {
			out.push(...tokens.slice(i, Math.max(run.end, i + 1)));
			i = Math.max(run.end, i + 1);
			continue;
		}
		const name = run.words.join("_");
		joined.push(run.words.join(" "));
		out.push(name);
		i = run.end;
	}
	return { feel: out.join(""), joined };
}

/** The words from `start` separated only by spaces, none a FEEL keyword; `end` is after the last. */
function wordRun(tokens: string[], start: number): { words: string[]; end: number } {
	const words: string[] = [];
	let end = start;
	let i = start;
	while (i < tokens.length) {
		const t = tokens[i] as string;
		if (!isName(t)) break;
		words.push(t);
		end = i + 1;
		const space = tokens[i + 1];
		const after = tokens[i + 2];
		if (space === undefined || !/^\s+$/.test(space) || after === undefined || !isName(after)) break;
		i += 2;
	}
	return { words, end };
}

function nextSolid(tokens: string[], from: number): string | undefined {
	return tokens.slice(from).find((t) => !/^\s+$/.test(t));
}

function isName(token: string): boolean {
	return /^[A-Za-z_]/.test(token) && !FEEL_KEYWORDS.has(token);
}

/** A FEEL expression with some names replaced (whole names only, never inside quotes). */
export function replaceNames(feel: string, names: Readonly<Record<string, string>>): string {
	const tokens = feel.match(TOKEN) ?? [];
	return tokens
		.map((t, i) => {
			const replacement = Object.hasOwn(names, t) ? names[t] : undefined;
			const afterDot = tokens[i - 1] === ".";
			return replacement !== undefined && !afterDot ? replacement : t;
		})
		.join("");
}
