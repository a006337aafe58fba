import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import {
	canClaimTask,
	canSeeTask,
	canStartWorkflow,
	type TaskRef,
} from "../../src/auth/permissions.ts";
import { grantPermission, loadUser, removeMember, upsertRole } from "../../src/db/people.ts";
import { tasks } from "../../src/db/schema/index.ts";
import { createApp } from "../../src/http/app.ts";
import { AppError } from "../../src/http/errors.tsx";
import { makeUser, mintSession, ORIGIN } from "./auth-fixtures.ts";

/**
 * The app with two routes written the way the task pages use the helpers: a task the user may not
 * see is "not found" (404), on GET and on POST, and nothing is changed.
 */
function appWithTaskRoutes() {
	const app = createApp();
	const load = async (id: string) => {
		const [row] = await drizzle(env.DB).select().from(tasks).where(eq(tasks.id, id));
		return row;
	};
	app.get("/test/tasks/:id", async (c) => {
		const task = await load(c.req.param("id"));
		if (!task || !canSeeTask(c.var.user, task)) throw new AppError("not_found", "No such task.");
		return c.json({ id: task.id, assignee: task.assignee });
	});
	app.post("/test/tasks/:id/claim", async (c) => {
		const task = await load(c.req.param("id"));
		if (!task || !canSeeTask(c.var.user, task)) throw new AppError("not_found", "No such task.");
		if (!canClaimTask(c.var.user, task)) throw new AppError("forbidden", "Not yours to claim.");
		await drizzle(env.DB)
			.update(tasks)
			.set({ assignee: c.var.user.id })
			.where(eq(tasks.id, task.id));
		return c.json({ claimed: true });
	});
	return app;
}

let taskCounter = 0;
async function indexTask(role: string, assignee: string | null): Promise<string> {
	taskCounter += 1;
	const id = `proc-${taskCounter}.t1`;
	await drizzle(env.DB)
		.insert(tasks)
		.values({
			id,
			processId: `proc-${taskCounter}`,
			workflowKey: "conference",
			node: "review",
			nodeName: "Review",
			taskType: "form",
			status: "PENDING",
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
	return id;
}

async function assigneeOf(id: string) {
	const [row] = await drizzle(env.DB).select().from(tasks).where(eq(tasks.id, id));
	return row?.assignee;
}

describe("object-level permissions through the routes", () => {
	const app = appWithTaskRoutes();
	const get = (path: string, cookie: string) =>
		app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } }, env);

	it("a user of role A gets 404 for a task of role B, on GET and on POST, and nothing changes", async () => {
		const olga = await makeUser({ name: "olga", roles: ["organization"] });
		const anna = await makeUser({ name: "anna", roles: ["accounting"] });
		const taskId = await indexTask("organization", olga.id);
		const session = await mintSession(anna);

		const seen = await get(`/test/tasks/${taskId}`, session.cookie);
		expect(seen.status).toBe(404);
		expect(await seen.text()).toContain("No such task.");
		const claim = await app.request(
			`${ORIGIN}/test/tasks/${taskId}/claim`,
			{
				method: "POST",
				headers: { Cookie: session.cookie, "X-CSRF-Token": session.csrf, Origin: ORIGIN },
			},
			env,
		);
		expect(claim.status).toBe(404);
		expect(await assigneeOf(taskId)).toBe(olga.id);
	});

	it("a member of the role sees the task and may claim it from the role's queue", async () => {
		const olga = await makeUser({ name: "olga", roles: ["organization"] });
		const oscar = await makeUser({ name: "oscar", roles: ["organization"] });
		const taskId = await indexTask("organization", olga.id);
		const session = await mintSession(oscar);
		expect((await get(`/test/tasks/${taskId}`, session.cookie)).status).toBe(200);
		const claim = await app.request(
			`${ORIGIN}/test/tasks/${taskId}/claim`,
			{
				method: "POST",
				headers: { Cookie: session.cookie, "X-CSRF-Token": session.csrf, Origin: ORIGIN },
			},
			env,
		);
		expect(claim.status).toBe(200);
		expect(await assigneeOf(taskId)).toBe(oscar.id);
	});

	it("a user removed from a role loses access on the very next request", async () => {
		const anna = await makeUser({ name: "anna", roles: ["accounting"] });
		const taskId = await indexTask("accounting", anna.id);
		const session = await mintSession(anna);
		expect((await get(`/test/tasks/${taskId}`, session.cookie)).status).toBe(200);
		await removeMember(env.DB, "accounting", anna.id);
		expect((await get(`/test/tasks/${taskId}`, session.cookie)).status).toBe(404);
	});

	it("an admin sees every task", async () => {
		const admin = await makeUser({ name: "root", isAdmin: true });
		const taskId = await indexTask("accounting", null);
		const session = await mintSession(admin);
		expect((await get(`/test/tasks/${taskId}`, session.cookie)).status).toBe(200);
	});

	it("a POST without the CSRF token is refused before the route and changes nothing", async () => {
		const oscar = await makeUser({ name: "oscar", roles: ["organization"] });
		const taskId = await indexTask("organization", null);
		const session = await mintSession(oscar);
		const res = await app.request(
			`${ORIGIN}/test/tasks/${taskId}/claim`,
			{ method: "POST", headers: { Cookie: session.cookie, Origin: ORIGIN } },
			env,
		);
		expect(res.status).toBe(403);
		expect(await assigneeOf(taskId)).toBeNull();
	});
});

describe("grants loaded with the user", () => {
	it("include the user's own grants and those of their roles", async () => {
		await upsertRole(env.DB, { key: "planners", name: "Planners", now: Date.now() });
		const user = await makeUser({ roles: ["planners"] });
		await grantPermission(env.DB, {
			subjectKind: "role",
			subjectId: "planners",
			permission: "workflow.start",
			scope: "conference",
			now: Date.now(),
		});
		await grantPermission(env.DB, {
			subjectKind: "user",
			subjectId: user.id,
			permission: "process.see_all",
			scope: "*",
			now: Date.now(),
		});
		const loaded = await loadUser(env.DB, { id: user.id });
		expect(loaded?.roles).toEqual(["planners"]);
		expect(loaded?.grants).toEqual(
			expect.arrayContaining([
				{ permission: "workflow.start", scope: "conference" },
				{ permission: "process.see_all", scope: "*" },
			]),
		);
	});

	it("let a user start only the workflows they are allowed to", async () => {
		await upsertRole(env.DB, { key: "starters", name: "Starters", now: Date.now() });
		const starter = await makeUser({ roles: ["starters"] });
		const other = await makeUser();
		await grantPermission(env.DB, {
			subjectKind: "role",
			subjectId: "starters",
			permission: "workflow.start",
			scope: "conference",
			now: Date.now(),
		});
		const app = createApp();
		app.get("/test/may-start/:key", (c) =>
			c.json({ allowed: canStartWorkflow(c.var.user, c.req.param("key")) }),
		);
		const ask = async (user: { id: string; sessionVersion: number }, key: string) => {
			const { cookie } = await mintSession(user);
			const res = await app.request(
				`${ORIGIN}/test/may-start/${key}`,
				{ headers: { Cookie: cookie } },
				env,
			);
			return ((await res.json()) as { allowed: boolean }).allowed;
		};
		expect(await ask(starter, "conference")).toBe(true);
		expect(await ask(starter, "payroll")).toBe(false);
		expect(await ask(other, "conference")).toBe(false);
	});

	it("a role's grant goes away with the membership, on the next request", async () => {
		await upsertRole(env.DB, { key: "temps", name: "Temps", now: Date.now() });
		const user = await makeUser({ roles: ["temps"] });
		await grantPermission(env.DB, {
			subjectKind: "role",
			subjectId: "temps",
			permission: "workflow.start",
			scope: "*",
			now: Date.now(),
		});
		const before = await loadUser(env.DB, { id: user.id });
		expect(before?.grants).toHaveLength(1);
		await removeMember(env.DB, "temps", user.id);
		const after = await loadUser(env.DB, { id: user.id });
		expect(after?.grants).toEqual([]);
		const task: TaskRef = { role: "temps", assignee: user.id, status: "PENDING", workflowKey: "x" };
		expect(after?.roles.includes(task.role ?? "")).toBe(false);
	});
});
