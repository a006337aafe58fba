// Paths a request may be sent on to: a same-site path to return to after signing in.

/** A same-site path to return to after signing in, or "/" for anything else. */
export function safeNextPath(next: string | undefined | null): string {
	if (!next || next.length > 512 || !next.startsWith("/") || next.startsWith("//")) return "/";
	if (next.includes("\\") || [...next].some((ch) => ch.charCodeAt(0) < 0x20)) return "/";
	return next;
}
