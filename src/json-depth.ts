// How deep JSON may nest, counted on the raw text before anything parses it: JSON.parse copes with
// deep input, but what comes after it recurses (zod, the webhook mapping, structured clone into the
// ProcessObject, JSON.stringify of the state). Used at every edge that takes JSON: the HTTP
// middleware (json-limits.ts), the webhook receiver, and the http task's response.

/** The deepest nesting of objects and arrays accepted in any JSON input (the outermost counts 1). */
export const MAX_JSON_DEPTH = 64;

/** The characters that matter, as char codes: `{ [ } ] " \`. */
const [OPEN_BRACE, OPEN_BRACKET, CLOSE_BRACE, CLOSE_BRACKET, QUOTE, BACKSLASH] = [...'{[}]"\\'].map(
	(ch) => ch.charCodeAt(0),
);

/**
 * The deepest nesting of `{` and `[` in `text`, outside strings; stops counting once it passes
 * `stopAbove` (so the answer is at most `stopAbove + 1`). Meant for JSON; other text gets a count too,
 * which only matters when it is about to be parsed as JSON.
 */
export function jsonDepth(text: string, stopAbove = MAX_JSON_DEPTH): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (inString) {
			if (ch === BACKSLASH) i++;
			else if (ch === QUOTE) inString = false;
		} else if (ch === QUOTE) inString = true;
		else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
			depth++;
			if (depth > deepest) {
				deepest = depth;
				if (deepest > stopAbove) return deepest;
			}
		} else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) depth--;
	}
	return deepest;
}

/** True when `text` nests deeper than MAX_JSON_DEPTH. */
export function tooDeep(text: string): boolean {
	return jsonDepth(text) > MAX_JSON_DEPTH;
}

export const TOO_DEEP_MESSAGE = `The JSON is nested more than ${MAX_JSON_DEPTH} levels deep.`;
