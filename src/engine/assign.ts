// T3: who gets a new task of a role. The adapter knows the members; the engine knows the rule.

export interface RoleMember {
	userId: string;
	/** When the user joined the role, epoch ms: the tie-breaker. */
	joinedAt: number;
}

/** T3: the member with the fewest active tasks, ties broken by the earliest member; null if none. */
export function pickAssignee(
	members: readonly RoleMember[],
	activeCounts: Readonly<Record<string, number>>,
): string | null {
	let best: RoleMember | undefined;
	let bestCount = Number.POSITIVE_INFINITY;
	for (const member of members) {
		const count = activeCounts[member.userId] ?? 0;
		const earlier =
			best !== undefined &&
			(member.joinedAt < best.joinedAt ||
				(member.joinedAt === best.joinedAt && member.userId < best.userId));
		if (count < bestCount || (count === bestCount && earlier)) {
			best = member;
			bestCount = count;
		}
	}
	return best?.userId ?? null;
}
