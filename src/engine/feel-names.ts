// feelin recognises names that are not plain identifiers (`first name`, `collect-papers`) from the
// keys of the context it evaluates in, so a parse can be reused across contexts only when every key
// in them is a plain name. Conditions and expressions both cache parses on that condition.

export const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when every key in `value`, at any depth, is a plain identifier. */
export function namesAreContextFree(value: unknown): boolean {
	if (Array.isArray(value)) return value.every(namesAreContextFree);
	if (value === null || typeof value !== "object") return true;
	for (const [key, entry] of Object.entries(value)) {
		if (!PLAIN_NAME.test(key) || !namesAreContextFree(entry)) return false;
	}
	return true;
}

const IDENTIFIER = /(?<![.\w])[A-Za-z_][A-Za-z0-9_]*/g;
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;
/** FEEL's own words: they separate names and are never part of one. */
export const FEEL_KEYWORDS: ReadonlySet<string> = new Set(
	(
		"true false null and or not if then else for in return some every satisfies between instance " +
		"of function external"
	).split(" "),
);

/** FEEL's keywords and the built-in functions an expression commonly calls. */
const FEEL_WORDS = new Set([
	...FEEL_KEYWORDS,
	...(
		"count sum min max mean all any sublist append concatenate distinct values flatten " +
		"list contains index union sort reverse string number substring length upper lower case " +
		"before after matches replace split starts ends with date time duration years months day " +
		"week now today abs floor ceiling decimal modulo sqrt log exp odd even is defined get entries " +
		"value context put merge range"
	).split(" "),
]);

const mentioned = new Map<string, string[]>();

/**
 * R5: the names an expression uses that are neither FEEL's own words nor in `known` (the scope's
 * reserved names): the process variables it reads. Property names after a dot are not names.
 */
export function namesBeyond(expression: string, known: ReadonlySet<string>): string[] {
	let names = mentioned.get(expression);
	if (names === undefined) {
		const text = expression.replace(STRING_LITERAL, '""');
		names = [...new Set(text.match(IDENTIFIER) ?? [])].filter((n) => !FEEL_WORDS.has(n));
		if (mentioned.size > 2_000) mentioned.clear();
		mentioned.set(expression, names);
	}
	return names.filter((n) => !known.has(n));
}
