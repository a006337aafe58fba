// The bench worker's timing of jobs handed to the queue consumer (scripts/bench/worker/meter.ts):
// the answers of `execute` / `executeBatch` on a metered ProcessObject stub that carry a job (a
// ClaimTask with `run: true`, a CompleteTask's `next`) are noted with the instant they resolve,
// and each CompleteTask with the instant it is sent; the caller's answers are unchanged.
import { describe, expect, it } from "vitest";
import { meterEnv, takeJobTimings } from "../../scripts/bench/worker/meter.ts";

type Answer = { ok: boolean; revision?: number; reply?: unknown };

/** A namespace whose one stub answers from `answers`, in order (a fake: no object behind it). */
function fakeEnv(respond: (command: { type: string; taskId: string }) => Answer | Error) {
	const answer = (command: { type: string; taskId: string }) => {
		const a = respond(command);
		return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
	};
	const stub = {
		execute: (command: { type: string; taskId: string }) => answer(command),
		executeBatch: (list: { command: { type: string; taskId: string } }[]) =>
			Promise.all(list.map(({ command }) => answer(command))),
	};
	const ns = {
		idFromName: (_name: string) => ({}),
		get: (_id: unknown) => stub,
		getByName: (_name: string) => stub,
	};
	return meterEnv({ PROCESS: ns }) as unknown as { PROCESS: typeof ns };
}

const claimed = { ok: true, revision: 2, reply: { run: true, taskType: "dummy", params: {} } };

describe("bench meter: jobs in the consumer's hands", () => {
	it("notes a ClaimTask answered run: true as a queue hand-over, and not one answered run: false", async () => {
		takeJobTimings();
		const env = fakeEnv((c) =>
			c.taskId === "t1" ? claimed : { ok: true, reply: { run: false, reason: "busy" } },
		);
		const stub = env.PROCESS.getByName("p");
		const before = Date.now();
		expect(await stub.execute({ type: "ClaimTask", taskId: "t1" })).toEqual(claimed);
		await stub.execute({ type: "ClaimTask", taskId: "t2" });
		const { handedOver, completionSent } = takeJobTimings();
		expect([...handedOver.keys()]).toEqual(["t1"]);
		expect(handedOver.get("t1")?.via).toBe("queue");
		expect(handedOver.get("t1")?.at).toBeGreaterThanOrEqual(before);
		expect(completionSent.size).toBe(0);
	});

	it("notes the jobs a CompleteTask claimed (T14) as completion hand-overs, and when it was sent", async () => {
		takeJobTimings();
		const env = fakeEnv(() => ({
			ok: true,
			reply: { next: [{ taskId: "b" }, { taskId: "c" }] },
		}));
		const sentAfter = Date.now();
		await env.PROCESS.getByName("p").execute({ type: "CompleteTask", taskId: "a" });
		const { handedOver, completionSent } = takeJobTimings();
		expect([...handedOver].map(([id, h]) => [id, h.via])).toEqual([
			["b", "completion"],
			["c", "completion"],
		]);
		expect(completionSent.get("a")).toBeGreaterThanOrEqual(sentAfter);
		expect(handedOver.get("b")?.at).toBeGreaterThanOrEqual(completionSent.get("a") ?? 0);
	});

	it("pairs each command of an executeBatch with its own answer, and ignores refused ones", async () => {
		takeJobTimings();
		const env = fakeEnv((c) =>
			c.taskId === "x"
				? { ok: false }
				: c.type === "ClaimTask"
					? claimed
					: { ok: true, reply: { next: [{ taskId: `${c.taskId}-next` }] } },
		);
		await (
			env.PROCESS.getByName("p") as unknown as {
				executeBatch(l: { command: { type: string; taskId: string } }[]): Promise<Answer[]>;
			}
		).executeBatch([
			{ command: { type: "ClaimTask", taskId: "q" } },
			{ command: { type: "ClaimTask", taskId: "x" } },
			{ command: { type: "CompleteTask", taskId: "d" } },
		]);
		const { handedOver } = takeJobTimings();
		expect(new Map([...handedOver].map(([id, h]) => [id, h.via]))).toEqual(
			new Map([
				["q", "queue"],
				["d-next", "completion"],
			]),
		);
	});

	it("keeps a task's first hand-over, records nothing for a failed call, and forgets all once taken", async () => {
		takeJobTimings();
		let fail = false;
		const env = fakeEnv(() => (fail ? new Error("object unreachable") : claimed));
		const stub = env.PROCESS.getByName("p");
		await stub.execute({ type: "ClaimTask", taskId: "t" });
		const first = takeJobTimings().handedOver.get("t")?.at;
		expect(first).toBeTypeOf("number");
		await stub.execute({ type: "ClaimTask", taskId: "u" });
		const afterFirst = Date.now();
		// A redelivered message's claim gets the same answer again, later: the first one counts.
		await new Promise((r) => setTimeout(r, 5));
		await stub.execute({ type: "ClaimTask", taskId: "u" });
		expect(Date.now()).toBeGreaterThan(afterFirst);
		const twice = takeJobTimings().handedOver;
		expect(twice.size).toBe(1);
		expect(twice.get("u")?.at).toBeLessThanOrEqual(afterFirst);
		fail = true;
		await expect(stub.execute({ type: "ClaimTask", taskId: "v" })).rejects.toThrow(
			"object unreachable",
		);
		expect(takeJobTimings().handedOver.size).toBe(0);
	});
});
