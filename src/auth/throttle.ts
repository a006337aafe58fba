// How repeated sign-in attempts are slowed and then refused for a while: a pure schedule of how long
// a key (an account or a client address) stays blocked after its n-th counted attempt.
// The counters live in D1 (credential-store.ts), so every isolate and location sees the same count.

export interface ThrottlePolicy {
	/** Attempts that leave no wait behind them. */
	freeAttempts: number;
	/** The wait after the first attempt past the free ones; it doubles with each further attempt. */
	baseDelayMs: number;
	/** From this attempt on, the key is locked for lockMs. */
	lockAfter: number;
	lockMs: number;
	/** A key whose last attempt is older than this starts counting from zero again. */
	windowMs: number;
}

/**
 * Per account (the email typed in, known or not): every attempt counts, a success clears the count.
 * Three free tries, then 1 s, 2 s, 4 s … between tries, and the tenth locks the account for 15 min.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = {
	freeAttempts: 3,
	baseDelayMs: 1000,
	lockAfter: 10,
	lockMs: 15 * 60_000,
	windowMs: 15 * 60_000,
};

/** Per client address: only failures count; it stops one address trying many accounts. */
export const CLIENT_POLICY: ThrottlePolicy = {
	freeAttempts: 20,
	baseDelayMs: 1000,
	lockAfter: 50,
	lockMs: 15 * 60_000,
	windowMs: 15 * 60_000,
};

/** How long (ms) the key stays blocked after its n-th counted attempt (n ≥ 1). */
export function blockAfterAttempt(policy: ThrottlePolicy, n: number): number {
	if (n <= policy.freeAttempts) return 0;
	if (n >= policy.lockAfter) return policy.lockMs;
	return policy.baseDelayMs * 2 ** (n - policy.freeAttempts - 1);
}

/** The schedule as a SQL CASE over an attempt-count expression, for an atomic update in D1. */
export function blockCaseSql(policy: ThrottlePolicy, countExpr: string): string {
	const arms: string[] = [];
	for (let n = 1; n < policy.lockAfter; n++) {
		arms.push(`WHEN ${n} THEN ${blockAfterAttempt(policy, n)}`);
	}
	return `(CASE ${countExpr} ${arms.join(" ")} ELSE ${policy.lockMs} END)`;
}
