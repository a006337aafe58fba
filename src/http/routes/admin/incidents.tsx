// Operations: the incidents page and the acts that resolve them. Each act is a command to the
// ProcessObject with the admin as its actor, so the process history records who did it; a double
// submit is applied once (the form's nonce is the command's idempotency key).
import { Hono } from "hono";
import { IncidentsList, IncidentsPage } from "../../../../templates/admin/incidents.tsx";
import {
	CATEGORY_ORDER,
	type IncidentItem,
	incidentsOf,
	type ProcessForIncidents,
} from "../../../admin/incidents.ts";
import { randomId } from "../../../auth/csrf.ts";
import { toActor } from "../../../auth/current-user.ts";
import { addMember, addRole, listMembers, listUsers } from "../../../db/people.ts";
import { processesNeedingAttention } from "../../../db/process-index.ts";
import { processStub } from "../../../durable/process-client.ts";
import type { Command } from "../../../engine/index.ts";
import { visibleProcess } from "../../../processes/access.ts";
import { actAsAdmin } from "../../../processes/acts.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { noticeTextIn } from "../../view-models/notices.ts";
import { chromeOf, isHtmx, redirect, withNotice } from "../../view-models/page-context.ts";
import { type AdminContext, noticeText, posted } from "./guard.ts";

export const incidentRoutes = new Hono<AppEnv>();

async function incidentsView(c: AdminContext) {
	const { ids, total } = await processesNeedingAttention(c.env.DB);
	const views = await Promise.all(ids.map((id) => processStub(c.env, id).view()));
	const processes: ProcessForIncidents[] = views.filter((v) => v !== null);
	const byCategory = incidentsOf(processes);
	const roles = new Set(
		byCategory.unassigned.map((i) => i.role).filter((r): r is string => Boolean(r)),
	);
	const [users, members] = await Promise.all([
		listUsers(c.env.DB),
		Promise.all([...roles].map(async (role) => [role, await listMembers(c.env.DB, role)] as const)),
	]);
	const memberIds = new Map(
		members.map(([role, list]) => [
			role,
			new Set(list.filter((m) => m.active).map((m) => m.userId)),
		]),
	);
	const active = users.filter((u) => u.active);
	const assignees = (item: IncidentItem) => {
		const inRole = memberIds.get(item.role ?? "") ?? new Set<string>();
		return {
			members: active
				.filter((u) => inRole.has(u.id))
				.map((u) => ({ value: u.id, label: u.displayName })),
			// Outside the role, a person is offered only with adding them to it (see the POST).
			others: active
				.filter((u) => !inRole.has(u.id))
				.map((u) => ({
					value: item.role ? `${ADD_TO_ROLE}${u.id}` : u.id,
					label: item.role ? `${u.displayName} (add to ${item.role})` : u.displayName,
				})),
		};
	};
	return {
		categories: CATEGORY_ORDER.map((category) => ({
			category,
			items: byCategory[category].map((item) => ({
				item,
				assignees: item.category === "unassigned" ? assignees(item) : undefined,
			})),
		})),
		shown: ids.length,
		total,
		nonce: randomId(12),
	};
}

incidentRoutes.get("/incidents", async (c) =>
	c.html(
		<IncidentsPage chrome={chromeOf(c)} view={await incidentsView(c)} notice={noticeText(c)} />,
	),
);

/** A process the form names that exists; 404 otherwise (the same answer as a hidden one). */
async function target(c: AdminContext) {
	const form = await posted(c);
	const processId = form.process ?? "";
	const v = await visibleProcess(c.env, c.get("user"), processId);
	const taskId = form.task ?? "";
	const task = taskId ? v.state.tasks.find((t) => t.id === taskId) : undefined;
	if (taskId && !task) throw new AppError("not_found", "There is no such task.");
	const nonce = /^[A-Za-z0-9_-]{8,64}$/.test(form._nonce ?? "") ? form._nonce : randomId(12);
	// One rendering of the page, one act on one thing: the same submit twice is applied once.
	const what = task?.id ?? form.incident ?? processId;
	return { form, processId, view: v, task, key: (act: string) => `admin:${act}:${what}:${nonce}` };
}

/** Sends the command as the admin; answers the refreshed list (htmx) or 303 to the page. */
async function act(
	c: AdminContext,
	processId: string,
	commands: Command[],
	keyOf: (i: number) => string,
	notice: string,
) {
	const keyed = commands.map((command, i) => ({ command, key: keyOf(i) }));
	await actAsAdmin(c.env, c.get("user"), processId, keyed);
	if (!isHtmx(c)) return redirect(c, withNotice("/admin/incidents", notice));
	return c.html(
		<IncidentsList chrome={chromeOf(c)} view={await incidentsView(c)} status={noticeFor(notice)} />,
	);
}

/** The status line of the refreshed list: the notice the redirect would have shown. */
const noticeFor = (code: string) => noticeTextIn("admin", code) ?? "Done.";

function needTask<T>(task: T | undefined): T {
	if (!task) throw new AppError("invalid_request", "Name the task.");
	return task;
}

/** Retry or revoke the task the form names, as the admin (P8, R4, T7). */
function taskAct(type: "RetryTask" | "RevokeTask", name: "retry" | "revoke", notice: string) {
	return async (c: AdminContext) => {
		const t = await target(c);
		const task = needTask(t.task);
		const actor = toActor(c.get("user"));
		return act(c, t.processId, [{ type, taskId: task.id, actor }], () => t.key(name), notice);
	};
}

incidentRoutes.post("/incidents/retry", taskAct("RetryTask", "retry", "retried"));
incidentRoutes.post("/incidents/revoke", taskAct("RevokeTask", "revoke", "revoked"));

incidentRoutes.post("/incidents/stop", async (c) => {
	const t = await target(c);
	const actor = toActor(c.get("user"));
	return act(c, t.processId, [{ type: "StopProcess", actor }], () => t.key("stop"), "stopped");
});

/** The assign form's value for someone outside the task's role: add them to it, then assign. */
const ADD_TO_ROLE = "add-to-role:";

/**
 * Reassigns a task (to a person, or back to nobody) and closes its "nobody assigned" incident. A
 * task is seen by its role's members, so the person must be one, or be added by choosing
 * `add-to-role:<id>`; anyone else is refused (the task would be hidden from everyone).
 */
incidentRoutes.post("/incidents/assign", async (c) => {
	const t = await target(c);
	const task = needTask(t.task);
	const chosen = t.form.assignee ?? "";
	const addToRole = chosen.startsWith(ADD_TO_ROLE);
	const assignee = addToRole ? chosen.slice(ADD_TO_ROLE.length) : chosen;
	const user = (await listUsers(c.env.DB)).find((u) => u.id === assignee && u.active);
	if (assignee !== "" && !user) {
		throw new AppError("invalid_request", "Choose an active user from the list.");
	}
	if (user && task.role) {
		const member = (await listMembers(c.env.DB, task.role)).some((m) => m.userId === user.id);
		if (!member && !addToRole) {
			throw new AppError(
				"invalid_params",
				`${user.displayName} is not in the role "${task.role}" of this task, so it would be hidden from them. Choose a member of the role, or the option that adds ${user.displayName} to it.`,
			);
		}
		if (!member) {
			await addRole(c.env.DB, { key: task.role, name: task.role, now: Date.now() });
			await addMember(c.env.DB, task.role, user.id, Date.now());
		}
	}
	const actor = toActor(c.get("user"));
	const commands: Command[] = [
		{ type: "AssignTask", taskId: task.id, assignee: assignee || null, actor },
	];
	const incident = t.view.state.incidents.find(
		(i) => i.id === task.incident && i.resolvedAt === undefined,
	);
	if (assignee && incident?.kind === "no_assignee") {
		commands.push({ type: "ResolveIncident", incidentId: incident.id, actor });
	}
	return act(c, t.processId, commands, (i) => t.key(`assign${i}`), "assigned");
});

/** P7: a higher step budget; the engine resumes the firings it held back. */
incidentRoutes.post("/incidents/budget", async (c) => {
	const t = await target(c);
	const budget = Number(t.form.stepBudget);
	if (!Number.isInteger(budget) || budget <= t.view.state.stepBudget || budget > 10_000_000) {
		throw new AppError(
			"invalid_params",
			`The new budget must be a whole number above ${t.view.state.stepBudget} (and at most 10,000,000).`,
		);
	}
	const actor = toActor(c.get("user"));
	return act(
		c,
		t.processId,
		[{ type: "RaiseStepBudget", stepBudget: budget, actor }],
		() => t.key("budget"),
		"budget-raised",
	);
});

incidentRoutes.post("/incidents/resolve", async (c) => {
	const t = await target(c);
	const incidentId = t.form.incident ?? "";
	if (!t.view.state.incidents.some((i) => i.id === incidentId))
		throw new AppError("not_found", "There is no such incident.");
	const actor = toActor(c.get("user"));
	return act(
		c,
		t.processId,
		[{ type: "ResolveIncident", incidentId, actor }],
		() => t.key("resolve"),
		"resolved",
	);
});
