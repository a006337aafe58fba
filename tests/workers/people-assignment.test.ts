import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { addMember, pickAssigneeForRole, setUserActive, upsertRole } from "../../src/db/people.ts";
import { tasks } from "../../src/db/schema/index.ts";
import { makeUser } from "./auth-fixtures.ts";

let roleCounter = 0;
let taskCounter = 0;

async function newRole(): Promise<string> {
	roleCounter += 1;
	const key = `role-${roleCounter}`;
	await upsertRole(env.DB, { key, name: `Role ${roleCounter}`, now: Date.now() });
	return key;
}

async function member(role: string, joinedAt: number): Promise<string> {
	const user = await makeUser();
	await addMember(env.DB, role, user.id, joinedAt);
	return user.id;
}

/** Index rows as the ProcessObject would project them. */
async function giveTasks(assignee: string, count: number, status = "PENDING", role = "elsewhere") {
	for (let i = 0; i < count; i++) {
		taskCounter += 1;
		await drizzle(env.DB)
			.insert(tasks)
			.values({
				id: `p/t${taskCounter}`,
				processId: "p",
				workflowKey: "conference",
				node: "n",
				nodeName: "N",
				taskType: "form",
				status,
				role,
				assignee,
				priority: 9,
				progress: 0,
				attempt: 1,
				awaitingInput: true,
				incident: null,
				createdAt: Date.now(),
				startedAt: null,
				endedAt: null,
				revision: 1,
			});
	}
}

describe("pickAssigneeForRole", () => {
	it("picks the member with the fewest active tasks", async () => {
		const role = await newRole();
		const busy = await member(role, 1000);
		const idle = await member(role, 2000);
		await giveTasks(busy, 2);
		await giveTasks(idle, 1);
		expect(await pickAssigneeForRole(env.DB, role)).toBe(idle);
	});

	it("breaks a tie by the earliest member", async () => {
		const role = await newRole();
		const late = await member(role, 5000);
		const early = await member(role, 1000);
		await giveTasks(late, 1);
		await giveTasks(early, 1);
		expect(await pickAssigneeForRole(env.DB, role)).toBe(early);
	});

	it("counts active tasks in every role and ignores finished ones", async () => {
		const role = await newRole();
		const first = await member(role, 1000);
		const second = await member(role, 2000);
		await giveTasks(first, 3, "SUCCESS");
		await giveTasks(first, 1, "REVOKED");
		await giveTasks(second, 1, "STARTED", "another-role");
		expect(await pickAssigneeForRole(env.DB, role)).toBe(first);
		await giveTasks(first, 2, "RETRY");
		expect(await pickAssigneeForRole(env.DB, role)).toBe(second);
	});

	it("balances a run of new tasks across the members", async () => {
		const role = await newRole();
		const members = [await member(role, 1), await member(role, 2), await member(role, 3)];
		const picks: string[] = [];
		for (let i = 0; i < 6; i++) {
			const pick = await pickAssigneeForRole(env.DB, role);
			if (!pick) throw new Error("no pick");
			picks.push(pick);
			await giveTasks(pick, 1, "PENDING", role);
		}
		expect(picks).toEqual([...members, ...members]);
	});

	it("skips inactive members", async () => {
		const role = await newRole();
		const away = await member(role, 1000);
		const here = await member(role, 2000);
		await giveTasks(here, 4);
		await setUserActive(env.DB, away, false);
		expect(await pickAssigneeForRole(env.DB, role)).toBe(here);
	});

	it("returns null for a role with no member, or only inactive ones", async () => {
		const empty = await newRole();
		expect(await pickAssigneeForRole(env.DB, empty)).toBeNull();
		expect(await pickAssigneeForRole(env.DB, "no-such-role")).toBeNull();
		const dormant = await newRole();
		await setUserActive(env.DB, await member(dormant, 1), false);
		expect(await pickAssigneeForRole(env.DB, dormant)).toBeNull();
	});
});
