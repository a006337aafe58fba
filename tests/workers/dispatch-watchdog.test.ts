// T13: the dispatch watchdog. A job whose queue message was lost (a crash-killed local queue) is
// sent again by the ProcessObject's alarm, claimed once, and its process finishes; repeated losses
// raise a `dispatch_lost` incident that admins see, closed when a worker finally claims the job.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { processIdFor, processStub } from "../../src/durable/process-client.ts";
import { signedIn, textOf } from "./admin-fixtures.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	view,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

const twoJobs = workflow(
	"watchdog",
	[
		{ key: "a", task: "add", start: true, params: { a: 1, b: 2 } },
		{ key: "end", task: "dummy", end: true },
	],
	[{ from: "a", to: "end" }],
);

/** Moves every claim deadline into the past (workerd's clock cannot be moved), then runs the alarm. */
async function makeDispatchDue(processId: string): Promise<void> {
	const stub = env.PROCESS.getByName(processId);
	await runInDurableObject(stub, async (_instance, state) => {
		const row = state.storage.sql
			.exec<{ state: string }>("SELECT state FROM process WHERE id = 1")
			.one();
		const s = JSON.parse(row.state) as { tasks: { dispatchDueBy?: number }[] };
		for (const t of s.tasks) if (t.dispatchDueBy !== undefined) t.dispatchDueBy = Date.now() - 1;
		state.storage.sql.exec("UPDATE process SET state = ? WHERE id = 1", JSON.stringify(s));
	});
	// Drop the object's memory so it reads the edited state, then run its alarm.
	await evictDurableObject(stub);
	expect(await runDurableObjectAlarm(stub)).toBe(true);
}

/** Starts a process whose next `lost` queue sends are lost; answers its id once `a` waits unclaimed. */
async function startLosing(key: string, lost: number): Promise<string> {
	const processId = await processIdFor(key);
	await processStub(env, processId).armFault("lose-queue-message", lost);
	await start("watchdog", {}, key);
	const v = await view(processId);
	expect(v.state.tasks.map((t) => `${t.node}:${t.status}`)).toEqual(["a:PENDING"]);
	expect(await processStub(env, processId).outboxSize()).toBe(0);
	return processId;
}

describe("T13 dispatch watchdog", () => {
	it("T13 a job whose queue message was lost is sent again, claimed once, and the process finishes", async () => {
		await publish(twoJobs);
		const processId = await startLosing("t13-lost-once", 1);
		const lost = (await view(processId)).state.tasks[0]!;
		expect(lost.dispatchDueBy).toBeGreaterThan(Date.now());

		await makeDispatchDue(processId);
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(done.state.tasks.map((t) => `${t.node}:${t.status}:${t.attempt}`)).toEqual([
			"a:SUCCESS:1",
			"end:SUCCESS:1",
		]);
		const history = await processStub(env, processId).history();
		const ofA = history.filter((e) => e.taskId === lost.id).map((e) => e.type);
		expect(ofA).toEqual(["TaskCreated", "TaskRedispatched", "TaskStarted", "TaskSucceeded"]);
		expect(history.find((e) => e.type === "TaskRedispatched")?.data).toMatchObject({
			attempt: 1,
			resends: 1,
		});
		expect(done.state.incidents).toEqual([]);
		await expectIndexMatches(processId);
	});

	it("T13 repeated losses raise a dispatch_lost incident admins see; the claim that comes resolves it", async () => {
		await publish(twoJobs);
		// The first dispatch and the first three re-sends are lost (the third raises the incident);
		// the fourth re-send gets through.
		const processId = await startLosing("t13-lost-thrice", 3);
		await makeDispatchDue(processId);
		await makeDispatchDue(processId);
		const before = await view(processId);
		expect(before.state.incidents).toEqual([]);
		await processStub(env, processId).armFault("lose-queue-message", 1);
		await makeDispatchDue(processId);
		const flagged = await view(processId);
		const task = flagged.state.tasks[0]!;
		expect(task).toMatchObject({ status: "PENDING", attempt: 1, redispatches: 3 });
		const incident = flagged.state.incidents.find((i) => i.kind === "dispatch_lost");
		expect(incident).toMatchObject({ taskId: task.id });
		expect(incident?.resolvedAt).toBeUndefined();
		await expectIndexMatches(processId);

		const admin = await signedIn({ name: "watchdog-admin" });
		const overview = textOf(await (await admin.get("/admin")).text());
		expect(overview).toContain("1 process with open incidents");
		const text = textOf(await (await admin.get("/admin/incidents")).text());
		expect(text).toContain("Undelivered task messages (1)");
		expect(text).toContain("no worker claimed it");

		await makeDispatchDue(processId);
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(done.state.incidents[0]?.resolvedAt).toBeDefined();
		const history = await processStub(env, processId).history();
		expect(history.filter((e) => e.type === "TaskRedispatched")).toHaveLength(4);
		expect(history.filter((e) => e.taskId === task.id && e.type === "TaskStarted")).toHaveLength(1);
		expect(history.filter((e) => e.taskId === task.id && e.type === "TaskSucceeded")).toHaveLength(
			1,
		);
		await expectIndexMatches(processId);
		const after = textOf(await (await admin.get("/admin/incidents")).text());
		expect(after).not.toContain("no worker claimed it");
	});
});
