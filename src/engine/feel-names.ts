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
