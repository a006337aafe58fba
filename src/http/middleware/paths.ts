// Which paths need no signed-in user. Everything else is authenticated (DESIGN §5).

/** No user is looked for at all: liveness, signed webhooks, static files. */
export function isExemptPath(path: string): boolean {
	return (
		path === "/health" ||
		path.startsWith("/hooks/") ||
		path.startsWith("/vendor/") ||
		path === "/styles.css" ||
		path === "/favicon.ico"
	);
}

/** A user is recognised when there is one, but an anonymous request goes through too. */
export function isPublicPath(path: string): boolean {
	return path === "/sign-in" || path === "/sign-out";
}

/** A same-site path to return to after signing in, or "/" for anything else. */
export function safeNextPath(next: string | undefined | null): string {
	if (!next || next.length > 512 || !next.startsWith("/") || next.startsWith("//")) return "/";
	if (next.includes("\\") || [...next].some((ch) => ch.charCodeAt(0) < 0x20)) return "/";
	return next;
}
