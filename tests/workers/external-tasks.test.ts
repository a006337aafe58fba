// External tasks (K1, K2) through the JSON API, the task boards and the ProcessObjects: workers
// fetch and lock disjoint work (G3), a lapsed lock is offered again and the late report changes
// nothing (T8), locks are extended by their holder, failures retried after their backoff (T6), a
// long poll answered as soon as work is ready, tokens limited to their task types.
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ExternalWorker } from "../../src/client/external-worker.ts";
import { processStub, startProcess } from "../../src/durable/process-client.ts";
import { taskBoard } from "../../src/external/board-stub.ts";
import { signedIn, textOf } from "./admin-fixtures.ts";
import { ORIGIN } from "./auth-fixtures.ts";
import {
	fetchTasks,
	makeLocksLapse,
	offersOn,
	publishCharging,
	reportAs,
	runProcessAlarm,
	startMany,
	uniqueType,
	workerFor,
} from "./external-fixtures.ts";
import { expectIndexMatches, finished, start, view, waitFor } from "./process-fixtures.ts";

const MINUTE = 60_000;
const admin = { id: "admin", roles: [], isAdmin: true };

async function chargeOf(processId: string) {
	const v = await view(processId);
	const task = v.state.tasks.find((t) => t.node === "charge");
	if (!task) throw new Error(`no charge task in ${processId}`);
	return task;
}

async function historyTypes(processId: string): Promise<string[]> {
	return (await processStub(env, processId).history()).map((e) => e.type);
}

describe("fetch and lock", () => {
	it("K1 G3 twenty workers fetching one type at once get disjoint tasks, each locked for its fetcher", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const ids = await startMany(key, 30);
		await offersOn(type, 30);
		const workers = await Promise.all(Array.from({ length: 20 }, () => workerFor([type])));
		const fetched = await Promise.all(
			workers.map((w) => fetchTasks(w, { types: [type], maxTasks: 2, lockMs: MINUTE })),
		);
		expect(fetched.every((f) => f.status === 200)).toBe(true);
		const all = fetched.flatMap((f, i) => f.tasks.map((t) => ({ ...t, by: workers[i] })));
		// Thirty tasks, forty slots: every task handed out once, none twice.
		expect(all).toHaveLength(30);
		expect(new Set(all.map((t) => t.id)).size).toBe(30);
		expect(new Set(all.map((t) => t.processId))).toEqual(new Set(ids));
		for (const t of all) {
			expect(t).toMatchObject({
				taskType: type,
				attempt: 1,
				idempotencyKey: `${t.processId}:${t.id}`,
			});
			expect(t.params).toEqual({ amount: expect.any(Number) });
			const task = await chargeOf(t.processId);
			expect(task).toMatchObject({ status: "STARTED", lockedBy: t.by?.workerId });
			expect(task.leaseUntil).toBeGreaterThanOrEqual(t.lockedUntil);
		}
		expect((await taskBoard(env, type).contents()).offers).toEqual([]);

		await Promise.all(
			all.map((t) =>
				t.by ? reportAs(t.by, t.id, "complete", { attempt: 1, result: { charged: true } }) : null,
			),
		);
		for (const id of ids) expect((await waitFor(id, finished)).state.status).toBe("SUCCESS");
		await expectIndexMatches(ids[0] ?? "");
	});

	it("K1 hands out the highest priority first (0), then the oldest", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const older = (await start(key, { amount: 1 })).processId;
		const { processId: urgent } = await startProcess(env, {
			workflowKey: key,
			params: { amount: 2 },
			priority: 0,
		});
		const newer = (await start(key, { amount: 3 })).processId;
		await offersOn(type, 3);
		const w = await workerFor([type]);
		const order: string[] = [];
		for (let i = 0; i < 3; i++) {
			const { tasks } = await fetchTasks(w, { types: [type] });
			order.push(tasks[0]?.processId ?? "none");
		}
		expect(order).toEqual([urgent, older, newer]);
	});

	it("K1 a long poll is answered as soon as a task becomes ready, not at the end of its wait", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const w = await workerFor([type]);
		const asked = Date.now();
		const poll = fetchTasks(w, { types: [type], waitMs: 20_000 });
		await new Promise((r) => setTimeout(r, 300));
		expect((await taskBoard(env, type).contents()).waiting).toBe(1);
		const { processId } = await start(key);
		const { tasks } = await poll;
		expect(tasks.map((t) => t.processId)).toEqual([processId]);
		expect(Date.now() - asked).toBeLessThan(5_000);

		// Nothing ready and nothing coming: the poll answers empty at the end of its wait.
		const idle = Date.now();
		expect((await fetchTasks(w, { types: [type], waitMs: 700 })).tasks).toEqual([]);
		expect(Date.now() - idle).toBeGreaterThanOrEqual(600);
	});

	it("K1 a long poll whose client went away claims nothing: the task goes to the next poll", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const w = await workerFor([type]);
		const leaving = new AbortController();
		const abandoned = exports.default
			.fetch(
				new Request(`${ORIGIN}/api/v1/fetch-and-lock`, {
					method: "POST",
					headers: { Authorization: `Bearer ${w.token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ workerId: "gone", types: [type], waitMs: 10_000 }),
					signal: leaving.signal,
				}),
			)
			.catch(() => null);
		await new Promise((r) => setTimeout(r, 300));
		leaving.abort();
		await abandoned;
		const { processId } = await start(key);
		const { tasks } = await fetchTasks(w, { types: [type], waitMs: 5_000 });
		expect(tasks.map((t) => t.processId)).toEqual([processId]);
		expect((await chargeOf(processId)).lockedBy).toBe(w.workerId);
	});

	it("K1 a worker of several types gets tasks of each: no type starves another", async () => {
		const busy = uniqueType("busy");
		const rare = uniqueType("rare");
		const [busyKey, rareKey] = [await publishCharging(busy), await publishCharging(rare)];
		await startMany(busyKey, 6);
		await startMany(rareKey, 2);
		await offersOn(busy, 6);
		await offersOn(rare, 2);
		const w = await workerFor([busy, rare]);
		const first = await fetchTasks(w, { types: [busy, rare], maxTasks: 4 });
		expect(first.tasks.filter((t) => t.taskType === busy)).toHaveLength(2);
		expect(first.tasks.filter((t) => t.taskType === rare)).toHaveLength(2);
		// What a type cannot fill goes to the others.
		const second = await fetchTasks(w, { types: [busy, rare], maxTasks: 4 });
		expect(second.tasks.map((t) => t.taskType)).toEqual([busy, busy, busy, busy]);
	});
});

describe("locks", () => {
	it("K2 T8 a lock that lapses is offered again as a new attempt; the first worker's late completion changes nothing", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const { processId } = await start(key);
		await offersOn(type, 1);
		const [first, second] = [await workerFor([type]), await workerFor([type])];
		const [lost] = (await fetchTasks(first, { types: [type], lockMs: MINUTE })).tasks;
		expect(lost?.attempt).toBe(1);

		await makeLocksLapse(processId);
		await runProcessAlarm(processId);
		expect(await chargeOf(processId)).toMatchObject({ status: "RETRY", attempt: 2 });
		expect(await historyTypes(processId)).toContain("LockExpired");
		const [again] = (await fetchTasks(second, { types: [type], waitMs: 5_000 })).tasks;
		expect(again).toMatchObject({ id: lost?.id, attempt: 2 });

		const late = await reportAs(first, lost?.id ?? "", "complete", { attempt: 1, result: "late" });
		expect(late.status).toBe(200);
		expect(late.body).toMatchObject({ stale: true, reason: "superseded", currentAttempt: 2 });
		expect(await chargeOf(processId)).toMatchObject({
			status: "STARTED",
			attempt: 2,
			lockedBy: second.workerId,
		});
		const done = await reportAs(second, again?.id ?? "", "complete", {
			attempt: 2,
			result: "on time",
		});
		expect(done.body).toMatchObject({ stale: false, status: "SUCCESS" });
		const ended = await waitFor(processId, finished);
		expect(ended.state.tasks.find((t) => t.node === "charge")?.result).toBe("on time");
		await expectIndexMatches(processId);
	});

	it("K2 a report after the lock's end is stale even before the alarm runs, and the task is offered again", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const { processId } = await start(key);
		await offersOn(type, 1);
		const w = await workerFor([type]);
		const [task] = (await fetchTasks(w, { types: [type], lockMs: MINUTE })).tasks;
		await makeLocksLapse(processId);
		const late = await reportAs(w, task?.id ?? "", "complete", { attempt: 1, result: "late" });
		expect(late.body).toMatchObject({ stale: true, reason: "superseded", status: "RETRY" });
		const offers = await offersOn(type, 1);
		expect(offers[0]).toMatchObject({ taskId: task?.id, attempt: 2 });
	});

	it("K2 progress is recorded and keeps the lock as it is; the holder extends it, another worker cannot", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const { processId } = await start(key);
		await offersOn(type, 1);
		const [holder, other] = [await workerFor([type]), await workerFor([type])];
		const [task] = (await fetchTasks(holder, { types: [type], lockMs: MINUTE })).tasks;
		const id = task?.id ?? "";
		const before = (await chargeOf(processId)).leaseUntil ?? 0;

		const progressed = await reportAs(holder, id, "progress", { attempt: 1, progress: 40 });
		expect(progressed.body).toMatchObject({ stale: false, progress: 40, lockedUntil: before });
		expect(await chargeOf(processId)).toMatchObject({ progress: 40, leaseUntil: before });

		const stolen = await reportAs(other, id, "extend-lock", { attempt: 1, lockMs: 10 * MINUTE });
		expect(stolen.body).toMatchObject({ stale: true, reason: "not_holder" });
		expect(stolen.body.lockedUntil).toBeUndefined();
		expect((await chargeOf(processId)).leaseUntil).toBe(before);

		const asked = Date.now();
		const extended = await reportAs(holder, id, "extend-lock", { attempt: 1, lockMs: 10 * MINUTE });
		expect(extended.body.stale).toBe(false);
		expect(extended.body.lockedUntil).toBeGreaterThanOrEqual(asked + 10 * MINUTE);
		expect((await chargeOf(processId)).leaseUntil).toBe(extended.body.lockedUntil);
		expect(await historyTypes(processId)).toContain("LockExtended");

		// Another worker's completion is stale too: only the holder finishes the attempt.
		const foreign = await reportAs(other, id, "complete", { attempt: 1, result: "not mine" });
		expect(foreign.body).toMatchObject({ stale: true, reason: "not_holder", status: "STARTED" });
	});

	it("T8 a completion sent again after a lost answer is told it was applied, and applied once", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const { processId } = await start(key);
		await offersOn(type, 1);
		const w = await workerFor([type]);
		const [task] = (await fetchTasks(w, { types: [type] })).tasks;
		const body = { attempt: 1, result: { receipt: "r-1" }, log: ["charged 12.00"] };
		const first = await reportAs(w, task?.id ?? "", "complete", body);
		const again = await reportAs(w, task?.id ?? "", "complete", body);
		expect(first.body).toMatchObject({ stale: false, status: "SUCCESS" });
		expect(again.body).toMatchObject({ stale: false, duplicate: true, status: "SUCCESS" });
		const types = await historyTypes(processId);
		expect(types.filter((t) => t === "TaskSucceeded")).toHaveLength(2); // charge and done
		expect(types).toContain("TaskLogged");
	});
});

describe("failures", () => {
	it("K1 T6 a retryable failure is offered again after its backoff; the last one fails the task and shows as an incident", async () => {
		const type = uniqueType();
		const key = await publishCharging(type, { retry: { limit: 1, backoffSeconds: 2 } });
		const { processId } = await start(key);
		await offersOn(type, 1);
		const w = await workerFor([type]);
		const [task] = (await fetchTasks(w, { types: [type] })).tasks;
		const id = task?.id ?? "";
		const failed = await reportAs(w, id, "fail", {
			attempt: 1,
			error: { message: "gateway down", code: "GATEWAY" },
			retryable: true,
		});
		expect(failed.body).toMatchObject({ stale: false, status: "RETRY", currentAttempt: 2 });
		const [offer] = await offersOn(type, 1);
		expect(offer?.attempt).toBe(2);
		expect(offer?.availableAt).toBeGreaterThan(Date.now() + 1_000);
		expect((await fetchTasks(w, { types: [type] })).tasks).toEqual([]);

		// A poll waiting through the backoff gets the new attempt when it ends (the board's alarm).
		const asked = Date.now();
		const [retried] = (await fetchTasks(w, { types: [type], waitMs: 10_000 })).tasks;
		expect(retried).toMatchObject({ id, attempt: 2 });
		expect(Date.now() - asked).toBeLessThan(5_000);

		const last = await reportAs(w, id, "fail", {
			attempt: 2,
			error: { message: "card declined", code: "DECLINED" },
			retryable: true,
		});
		expect(last.body).toMatchObject({ stale: false, status: "FAILURE" });
		const ended = await waitFor(processId, finished);
		expect(ended.state.status).toBe("FAILURE");
		expect(ended.state.tasks.find((t) => t.id === id)?.error).toEqual({
			message: "card declined",
			code: "DECLINED",
		});
		const page = textOf(await (await (await signedIn()).get("/admin/incidents")).text());
		expect(page).toContain("Charge the card");
		expect(page).toContain("card declined");
	});

	it("K1 B4 a failure's code is caught by the error boundary that names it", async () => {
		const type = uniqueType();
		const key = await publishCharging(type, {
			nodes: [
				{ key: "declined", task: "error", attachedTo: "charge", params: { code: "DECLINED" } },
				{ key: "notify", task: "dummy", end: true, inline: true },
			],
			transitions: [{ from: "declined", to: "notify" }],
		});
		const { processId } = await start(key);
		await offersOn(type, 1);
		const w = await workerFor([type]);
		const [task] = (await fetchTasks(w, { types: [type] })).tasks;
		await reportAs(w, task?.id ?? "", "fail", {
			attempt: 1,
			error: { message: "card declined", code: "DECLINED" },
			retryable: false,
		});
		const ended = await waitFor(processId, finished);
		expect(ended.state.status).toBe("SUCCESS");
		expect(ended.state.tasks.map((t) => `${t.node}:${t.status}`)).toEqual([
			"charge:FAILURE",
			"declined:SUCCESS",
			"notify:SUCCESS",
		]);
		await expectIndexMatches(processId);
	});
});

describe("withdrawals", () => {
	it("K1 revoking a task withdraws it from its board, and stopping a process its tasks", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const [revoked, stopped] = await startMany(key, 2);
		await offersOn(type, 2);
		const revokedTask = await chargeOf(revoked ?? "");
		await processStub(env, revoked ?? "").execute({
			type: "RevokeTask",
			taskId: revokedTask.id,
			actor: admin,
		});
		await processStub(env, stopped ?? "").execute({ type: "StopProcess", actor: admin });
		await offersOn(type, 0);
		const w = await workerFor([type]);
		expect((await fetchTasks(w, { types: [type] })).tasks).toEqual([]);
	});

	it("K1 a task offered before its process stopped is never handed out, even if the board still held it", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const { processId } = await start(key);
		const [offer] = await offersOn(type, 1);
		await processStub(env, processId).execute({ type: "StopProcess", actor: admin });
		await offersOn(type, 0);
		// The board is told again (a replayed outbox): the process answers the claim `finished`.
		if (offer) await taskBoard(env, type).offer(type, offer);
		const w = await workerFor([type]);
		expect((await fetchTasks(w, { types: [type] })).tasks).toEqual([]);
		expect((await taskBoard(env, type).contents()).offers).toEqual([]);
	});
});

describe("suspension", () => {
	it("O1 K1 a worker never gets a task of a suspended process; the board asks again after the resume", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const { processId } = await start(key);
		await offersOn(type, 1);
		const stub = processStub(env, processId);
		await stub.execute({ type: "SuspendProcess", actor: admin, reason: "audit" });
		const w = await workerFor([type]);
		expect((await fetchTasks(w, { types: [type] })).tasks).toEqual([]);
		// The offer rests on the board (the claim was answered `suspended`), it is not dropped.
		const [resting] = await offersOn(type, 1);
		expect(resting?.availableAt).toBeGreaterThan(Date.now() + 30_000);

		await stub.execute({ type: "ResumeProcess", actor: admin });
		// As if the rest had run out: the next ask is answered by the resumed process.
		await runInDurableObject(env.TASK_BOARDS.getByName(type), async (_board, state) => {
			state.storage.sql.exec("UPDATE offers SET available_at = ?", Date.now());
		});
		const [task] = (await fetchTasks(w, { types: [type] })).tasks;
		expect(task).toMatchObject({ processId, attempt: 1 });
	});

	it("O1 K1 a completion that arrives while the process is suspended is held and applied on resume", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const { processId } = await start(key);
		await offersOn(type, 1);
		const w = await workerFor([type]);
		const [task] = (await fetchTasks(w, { types: [type] })).tasks;
		const stub = processStub(env, processId);
		await stub.execute({ type: "SuspendProcess", actor: admin, reason: "audit" });
		const held = await reportAs(w, task?.id ?? "", "complete", { attempt: 1, result: "done" });
		expect(held.body).toMatchObject({ stale: false, status: "STARTED" });
		expect((await view(processId)).state.status).toBe("STARTED");
		await stub.execute({ type: "ResumeProcess", actor: admin });
		const ended = await waitFor(processId, finished);
		expect(ended.state.status).toBe("SUCCESS");
		expect(ended.state.tasks.find((t) => t.node === "charge")?.result).toBe("done");
	});
});

describe("who may serve", () => {
	it("K1 a token scoped to another type gets nothing of this one, and its reports on it are 403", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		await start(key);
		await offersOn(type, 1);
		const outsider = await workerFor([uniqueType("other")]);
		const refused = await fetchTasks(outsider, { types: [type], waitMs: 0 });
		expect(refused).toMatchObject({ status: 200, tasks: [], ignoredTypes: [type] });
		expect(await offersOn(type, 1)).toHaveLength(1);

		const insider = await workerFor([type]);
		const [task] = (await fetchTasks(insider, { types: [type] })).tasks;
		const report = await reportAs(outsider, task?.id ?? "", "complete", { attempt: 1 });
		expect(report.status).toBe(403);
		expect(report.body).toMatchObject({ code: "forbidden" });
		const { status } = await reportAs(outsider, task?.id ?? "", "extend-lock", {
			attempt: 1,
			lockMs: MINUTE,
		});
		expect(status).toBe(403);
	});

	it("K1 only administrators serve external tasks, whatever their token says", async () => {
		const type = uniqueType();
		const notAdmin = await workerFor([type], { isAdmin: false });
		const res = await fetchTasks(notAdmin, { types: [type] });
		expect(res.status).toBe(403);
	});

	it("K1 refuses bad input with a clear 4xx and changes nothing", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const { processId } = await start(key);
		await offersOn(type, 1);
		const w = await workerFor([type]);
		const bad = [
			{ types: [type], maxTasks: 51 },
			{ types: [type], lockMs: 500 },
			{ types: [type], lockMs: 2 * 60 * MINUTE },
			{ types: [type], waitMs: 31_000 },
			{ types: [] },
			{ types: [type, type] },
			{ types: ["not a type"] },
			{ types: [type], extra: true },
		];
		for (const body of bad) {
			const res = await fetchTasks(w, body as { types: string[] });
			expect(res.status, JSON.stringify(body)).toBe(422);
		}
		expect(await offersOn(type, 1)).toHaveLength(1);
		const [task] = (await fetchTasks(w, { types: [type] })).tasks;
		const id = task?.id ?? "";
		for (const [what, body] of [
			["progress", { attempt: 1, progress: 101 }],
			["complete", { attempt: 0 }],
			["fail", { attempt: 1, error: { message: "" }, retryable: true }],
			["fail", { attempt: 1, error: { message: "x", code: "no spaces" }, retryable: true }],
			["fail", { attempt: 1, error: { message: "x" } }],
			["extend-lock", { attempt: 1, lockMs: 10 }],
			["complete", { attempt: 1, surprise: 1 }],
		] as const) {
			const res = await reportAs(w, id, what, body);
			expect(res.status, `${what} ${JSON.stringify(body)}`).toBe(422);
		}
		const missing = await reportAs(w, `${processId}/t99`, "complete", { attempt: 1 });
		expect(missing.status).toBe(404);
		expect(await chargeOf(processId)).toMatchObject({ status: "STARTED", progress: 0 });
	});
});

describe("pages", () => {
	it("K1 the process and task pages show the worker holding the lock, until when, and the progress", async () => {
		const type = uniqueType();
		const key = await publishCharging(type);
		const { processId } = await start(key);
		await offersOn(type, 1);
		const browser = await signedIn();
		const waiting = textOf(
			await (await browser.get(`/processes/${encodeURIComponent(processId)}`)).text(),
		);
		expect(waiting).toContain(`Waiting for a ${type} worker`);
		expect(waiting).toContain(`Charge the card offered to ${type} workers`);

		const w = await workerFor([type], { workerId: "pdf-host-7" });
		const [task] = (await fetchTasks(w, { types: [type], lockMs: 10 * MINUTE })).tasks;
		await reportAs(w, task?.id ?? "", "progress", { attempt: 1, progress: 60 });
		const locked = await (await browser.get(`/processes/${encodeURIComponent(processId)}`)).text();
		expect(textOf(locked)).toContain("pdf-host-7");
		expect(textOf(locked)).toMatch(/locked for (9|10) min more/);
		expect(locked).toContain('value="60"');
		const taskPage = textOf(
			await (await browser.get(`/tasks/${encodeURIComponent(task?.id ?? "")}`)).text(),
		);
		expect(taskPage).toContain("Charge a card");
		expect(taskPage).toContain("pdf-host-7");
		expect(taskPage).toContain("The worker pdf-host-7 is running this task outside Baton");
	});
});

describe("end to end", () => {
	it("K1 K2 processes wait for their external task and go on with the result of a worker run by the TypeScript client", async () => {
		const type = uniqueType("render-pdf");
		const key = await publishCharging(type);
		const w = await workerFor([type]);
		const client = new ExternalWorker({
			baseUrl: ORIGIN,
			token: w.token,
			workerId: "ts-client",
			types: [type],
			lockMs: 5_000,
			waitMs: 2_000,
			concurrency: 2,
			fetch: (input, init) => exports.default.fetch(new Request(input, init)),
			handler: async (task, ctx) => {
				await ctx.progress(50);
				return { charged: task.params.amount, key: task.idempotencyKey };
			},
		});
		const running = client.start();
		const ids = await startMany(key, 3);
		for (const [i, id] of ids.entries()) {
			const done = await waitFor(id, finished);
			expect(done.state.status).toBe("SUCCESS");
			const charge = done.state.tasks.find((t) => t.node === "charge");
			expect(charge?.result).toEqual({ charged: i + 1, key: `${id}:${charge?.id}` });
			expect(charge?.progress).toBe(100);
		}
		await client.stop();
		await running;
		expect(client.stats).toMatchObject({ fetched: 3, completed: 3, failed: 0, lost: 0 });
		await expectIndexMatches(ids[0] ?? "");
	});
});
