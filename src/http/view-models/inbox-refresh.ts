// How often the inbox fetches its results besides the live stream (H1: a task falling overdue is
// announced by nobody, so the page asks again just after it).
/** The slow poll (60 s), or sooner: a second after the next shown task falls due (at least 2 s). */
export function refreshSecondsFor(rows: readonly { dueAt: number | null }[], now: number): number {
	const next = Math.min(
		...rows.map((r) => (r.dueAt !== null && r.dueAt > now ? r.dueAt : Number.POSITIVE_INFINITY)),
	);
	if (!Number.isFinite(next)) return 60;
	return Math.max(2, Math.min(60, Math.ceil((next - now) / 1000) + 1));
}
