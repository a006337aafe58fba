// Incidents → "Tasks without an assignee" → Assign: a task is seen by the members of its role, so
// the form offers the role's members, and anyone else only as "add to the role and assign", said
// plainly. Assigning someone outside the role without adding them is refused: it used to close the
// incident while the task became invisible to everyone.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addMember, addRole, listMembers } from "../../src/db/people.ts";
import { HTMX, signedIn, textOf } from "./admin-fixtures.ts";
import { publish, start, view, waitFor, workflow } from "./process-fixtures.ts";

let n = 0;

/** A process whose first task waits in `role`, which has no active member: a no_assignee incident. */
async function unstaffedTask(role: string) {
	const key = `unstaffed-assign-${++n}`;
	await publish(
		workflow(
			key,
			[
				{
					key: "review",
					name: "Review the claim",
					task: "question",
					role,
					start: true,
					params: { title: "OK?" },
				},
				{ key: "end", task: "dummy", end: true },
			],
			[{ from: "review", to: "end" }],
		),
	);
	const { processId } = await start(key);
	const v = await waitFor(processId, (x) =>
		x.state.incidents.some((i) => i.kind === "no_assignee"),
	);
	return { processId, task: v.state.tasks[0]! };
}

/** The <select> of the assign form of the incident of `taskId`, as options (value, label, group). */
function assignOptions(html: string, taskId: string) {
	const at = html.indexOf(`name="task" value="${taskId}"`);
	if (at < 0) throw new Error(`no incident form for ${taskId}`);
	const select = html.slice(html.indexOf("<select", at), html.indexOf("</select>", at));
	const options: { value: string; label: string; group: string }[] = [];
	let group = "";
	for (const m of select.matchAll(
		/<optgroup label="([^"]*)"|<option value="([^"]*)"[^>]*>([^<]*)</g,
	)) {
		if (m[1] !== undefined) group = m[1];
		else options.push({ value: m[2] ?? "", label: m[3] ?? "", group });
	}
	return options;
}

describe("assigning a task from the incidents page", () => {
	it("offers the role's members, and others only with adding them to the role, said plainly", async () => {
		const role = `assign-role-${++n}`;
		const { task } = await unstaffedTask(role);
		const admin = await signedIn();
		const member = await signedIn({ isAdmin: false, name: "member" });
		const outsider = await signedIn({ isAdmin: false, name: "outsider" });
		await addRole(env.DB, { key: role, name: role, now: Date.now() });
		await addMember(env.DB, role, member.userId, Date.now());

		const options = assignOptions(await (await admin.get("/admin/incidents")).text(), task.id);
		expect(options.find((o) => o.value === member.userId)).toMatchObject({
			group: `Members of ${role}`,
		});
		expect(options.some((o) => o.value === outsider.userId)).toBe(false);
		const add = options.find((o) => o.value === `add-to-role:${outsider.userId}`);
		expect(add?.group).toBe(`Not in ${role}: choosing one adds them to the role`);
		expect(add?.label).toContain(`(add to ${role})`);
	});

	it("refuses someone outside the role with a clear message, and changes nothing", async () => {
		const role = `assign-role-${++n}`;
		const { processId, task } = await unstaffedTask(role);
		const admin = await signedIn();
		const outsider = await signedIn({ isAdmin: false, name: "outsider" });
		const res = await admin.post("/admin/incidents/assign", {
			process: processId,
			task: task.id,
			assignee: outsider.userId,
			_nonce: `refuse-${n}-nonce`,
		});
		expect(res.status).toBe(422);
		expect(textOf(await res.text())).toContain(
			`Outsider is not in the role "${role}" of this task, so it would be hidden from them.`,
		);
		const v = await view(processId);
		expect(v.state.tasks[0]?.assignee ?? null).toBeNull();
		expect(v.state.incidents.some((i) => i.kind === "no_assignee" && !i.resolvedAt)).toBe(true);
		expect(await listMembers(env.DB, role)).toEqual([]);
	});

	it("with 'add to the role', adds them, assigns the task, and they can open it", async () => {
		const role = `assign-role-${++n}`;
		const { processId, task } = await unstaffedTask(role);
		const admin = await signedIn();
		const outsider = await signedIn({ isAdmin: false, name: "outsider" });
		const res = await admin.post(
			"/admin/incidents/assign",
			{
				process: processId,
				task: task.id,
				assignee: `add-to-role:${outsider.userId}`,
				_nonce: `add-${n}-nonce`,
			},
			HTMX,
		);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain("The task was reassigned.");
		expect((await listMembers(env.DB, role)).map((m) => m.userId)).toEqual([outsider.userId]);
		const v = await view(processId);
		expect(v.state.tasks[0]?.assignee).toBe(outsider.userId);
		expect(v.state.incidents.every((i) => i.resolvedAt !== undefined)).toBe(true);
		const page = await outsider.get(`/tasks/${encodeURIComponent(task.id)}`);
		expect(page.status).toBe(200);
		expect(textOf(await page.text())).toContain("Review the claim");
	});

	it("assigns a member of the role without changing the role", async () => {
		const role = `assign-role-${++n}`;
		const { processId, task } = await unstaffedTask(role);
		const admin = await signedIn();
		const member = await signedIn({ isAdmin: false, name: "member" });
		await addRole(env.DB, { key: role, name: role, now: Date.now() });
		await addMember(env.DB, role, member.userId, Date.now());
		const res = await admin.post("/admin/incidents/assign", {
			process: processId,
			task: task.id,
			assignee: member.userId,
			_nonce: `member-${n}-nonce`,
		});
		expect(res.status).toBe(303);
		expect((await view(processId)).state.tasks[0]?.assignee).toBe(member.userId);
		expect((await listMembers(env.DB, role)).map((m) => m.userId)).toEqual([member.userId]);
	});
});
