// A worker's fetch (K1) across the boards of the task types it serves: ready work is claimed at
// once; when there is none, the poll waits on every board until one has some, then claims. Several
// types share the fetch so that none starves another: each gets an equal share, the first shares
// going to a type picked at random, and what a type could not fill goes to the others.
import { taskBoard } from "./board-stub.ts";
import {
	type BoardFetch,
	type LockedTask,
	MAX_WAIT_MS,
	type TaskBoardRpc,
} from "./external-task.ts";

export interface FetchRequest {
	worker: string;
	/** Distinct task types the worker may serve (the caller checked the token's). */
	types: readonly string[];
	max: number;
	lockMs: number;
	waitMs: number;
}

interface Board {
	type: string;
	board: TaskBoardRpc;
}

/** Up to `max` tasks of the types, waiting up to `waitMs` for the first when none is ready. */
export async function fetchAndLock(env: Env, request: FetchRequest): Promise<LockedTask[]> {
	const boards = request.types.map((type) => ({ type, board: taskBoard(env, type) }));
	if (boards.length === 0) return [];
	const deadline = Date.now() + Math.min(request.waitMs, MAX_WAIT_MS);
	const lock = { worker: request.worker, lockMs: request.lockMs };
	for (;;) {
		const locked = await claimAcross(boards, request.max, lock, Math.random());
		if (locked.length > 0) return locked;
		const left = deadline - Date.now();
		if (left <= 0) return [];
		// Another poll may win what woke this one: then it claims nothing and waits again.
		const woken = await Promise.race(boards.map((b) => b.board.waitForWork(left)));
		if (!woken) return [];
	}
}

/**
 * One claiming pass: every board asked at once for its share, then the boards that filled theirs
 * (they may hold more) asked for what the others left. `spin` in [0, 1) picks which type gets the
 * first share when there are fewer slots than types.
 */
export async function claimAcross(
	boards: readonly Board[],
	max: number,
	lock: Omit<BoardFetch, "max">,
	spin: number,
): Promise<LockedTask[]> {
	const start = Math.floor(spin * boards.length) % boards.length;
	const order = [...boards.slice(start), ...boards.slice(0, start)];
	const shares = sharesOf(max, order.length);
	const first = await askAll(order, shares, lock);
	const locked = first.flat();
	const left = max - locked.length;
	if (left === 0) return locked;
	const fuller = order.filter((_, i) => (shares[i] ?? 0) > 0 && first[i]?.length === shares[i]);
	if (fuller.length === 0) return locked;
	const second = await askAll(fuller, sharesOf(left, fuller.length), lock);
	return [...locked, ...second.flat()];
}

/** `max` slots over `n` boards as evenly as can be, the earlier boards taking the remainder. */
export function sharesOf(max: number, n: number): number[] {
	return Array.from({ length: n }, (_, i) => Math.floor(max / n) + (i < max % n ? 1 : 0));
}

function askAll(
	boards: readonly Board[],
	shares: readonly number[],
	lock: Omit<BoardFetch, "max">,
): Promise<LockedTask[][]> {
	return Promise.all(
		boards.map((b, i) => {
			const max = shares[i] ?? 0;
			return max > 0 ? b.board.fetchAndLock(b.type, { ...lock, max }) : Promise.resolve([]);
		}),
	);
}
