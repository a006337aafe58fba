// T3: the assignee is picked when the task is created, and the task is activated once it is known:
// an inline task (T9) and a queued job of a node with a role both have their assignee recorded
// before they start. An empty role answers nobody, raises no_assignee, and the task runs unassigned.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addMember, upsertRole } from "../../src/db/people.ts";
import { processStub } from "../../src/durable/process-client.ts";
import { makeUser } from "./auth-fixtures.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

async function roleWithMember(key: string): Promise<string> {
	await upsertRole(env.DB, { key, name: key, now: Date.now() });
	const user = await makeUser({ name: `${key}-member` });
	await addMember(env.DB, key, user.id, Date.now());
	return user.id;
}

/** The types of a task's events, in order. */
async function eventsOf(processId: string, node: string): Promise<string[]> {
	const history = await processStub(env, processId).history();
	return history.filter((e) => e.node === node).map((e) => e.type);
}

describe("T3 assignment before activation", () => {
	it("T3/T9 an inline task of a role has its assignee recorded before it starts", async () => {
		const member = await roleWithMember("t3-inline-clerks");
		await publish(
			workflow(
				"t3-inline",
				[
					{
						key: "sum",
						task: "add",
						inline: true,
						start: true,
						role: "t3-inline-clerks",
						params: { a: 2, b: 3 },
					},
					{ key: "end", task: "dummy", end: true },
				],
				[{ from: "sum", to: "end" }],
				{ roles: [{ key: "t3-inline-clerks" }] },
			),
		);
		const { processId } = await start("t3-inline");
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(done.state.tasks[0]).toMatchObject({ node: "sum", assignee: member, result: 5 });
		expect(await eventsOf(processId, "sum")).toEqual([
			"TaskCreated",
			"TaskAssigned",
			"TaskStarted",
			"TaskSucceeded",
		]);
		await expectIndexMatches(processId);
	});

	it("T3 a queued job of a role is dispatched after its assignee is recorded", async () => {
		const member = await roleWithMember("t3-job-clerks");
		await publish(
			workflow(
				"t3-job",
				[
					{ key: "work", task: "dummy", start: true, role: "t3-job-clerks" },
					{ key: "end", task: "dummy", end: true },
				],
				[{ from: "work", to: "end" }],
				{ roles: [{ key: "t3-job-clerks" }] },
			),
		);
		const { processId } = await start("t3-job");
		const done = await waitFor(processId, finished);
		expect(done.state.tasks[0]).toMatchObject({ status: "SUCCESS", assignee: member });
		expect(await eventsOf(processId, "work")).toEqual([
			"TaskCreated",
			"TaskAssigned",
			"TaskStarted",
			"TaskSucceeded",
		]);
		await expectIndexMatches(processId);
	});

	it("T3 a job of an empty role runs unassigned, with a no_assignee incident", async () => {
		await upsertRole(env.DB, { key: "t3-empty", name: "Empty", now: Date.now() });
		await publish(
			workflow(
				"t3-empty",
				[
					{ key: "work", task: "dummy", start: true, role: "t3-empty" },
					{ key: "hold", task: "event", end: true, params: { correlationKey: "t3-hold" } },
				],
				[{ from: "work", to: "hold" }],
				{ roles: [{ key: "t3-empty" }] },
			),
		);
		const { processId } = await start("t3-empty");
		const v = await waitFor(processId, (x) => x.state.tasks.some((t) => t.node === "hold"));
		expect(v.state.tasks[0]).toMatchObject({ status: "SUCCESS", assignee: null });
		expect(v.state.incidents).toMatchObject([
			{ kind: "no_assignee", taskId: v.state.tasks[0]?.id },
		]);
		const types = await eventsOf(processId, "work");
		expect(types.indexOf("TaskAssigned")).toBeLessThan(types.indexOf("TaskStarted"));
		await expectIndexMatches(processId);
	});
});
