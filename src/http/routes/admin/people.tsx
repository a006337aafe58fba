// People for admins: create and deactivate users, set or reset a password, end sessions,
// memberships, and grants (who may start, see or stop which workflow's processes). Every change
// takes effect on the person's next request: the middleware re-reads them from D1 (docs/people.md).
import { Hono } from "hono";
import { z } from "zod";
import type { GrantView } from "../../../../templates/admin/grants.tsx";
import { RolePage, RolesPage } from "../../../../templates/admin/roles.tsx";
import { UserPage, UsersPage } from "../../../../templates/admin/users.tsx";
import { KEY_PATTERN } from "../../../admin/draft-forms.ts";
import { randomId } from "../../../auth/csrf.ts";
import { isPermission, type Permission } from "../../../auth/current-user.ts";
import { passwordProblem } from "../../../auth/password.ts";
import {
	addMember,
	addRole,
	createUser,
	endAllSessions,
	findRole,
	findUserByEmail,
	findUserById,
	grantPermission,
	grantsOf,
	grantsOnWorkflow,
	listGrants,
	listMembers,
	listMemberships,
	listRoles,
	listUsers,
	memberCountsByRole,
	membershipsOf,
	passwordOf,
	removeMember,
	revokePermission,
	setAdmin,
	setPassword,
	setUserActive,
	updateDisplayName,
	upsertRole,
} from "../../../db/people.ts";
import { activeTasksAssignedTo } from "../../../db/process-index.ts";
import { findWorkflow, latestDefinitions, workflowNames } from "../../../db/workflows.ts";
import { allNodes } from "../../../engine/index.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { safeNextPath } from "../../middleware/paths.ts";
import { chromeOf, redirect as seeOther, withNotice } from "../../view-models/page-context.ts";
import { type AdminContext, noticeText, posted } from "./guard.ts";

export const peopleRoutes = new Hono<AppEnv>();

const userPath = (id: string) => `/admin/users/${encodeURIComponent(id)}`;
const rolePath = (key: string) => `/admin/roles/${encodeURIComponent(key)}`;

const emailSchema = z.email({ error: "Write an email address, e.g. ada@example.com." }).max(254);
const nameSchema = z.string().trim().min(1, "Give a name.").max(100, "Use at most 100 characters.");

// ---------------------------------------------------------------------------------------------
// Users

async function usersList(c: AdminContext, q: string) {
	const [all, members] = await Promise.all([listUsers(c.env.DB), listMemberships(c.env.DB)]);
	const needle = q.trim().toLowerCase();
	return all
		.filter(
			(u) => !needle || u.email.includes(needle) || u.displayName.toLowerCase().includes(needle),
		)
		.map((u) => ({
			id: u.id,
			email: u.email,
			displayName: u.displayName,
			active: u.active,
			isAdmin: u.isAdmin,
			hasPassword: passwordOf(u) !== null,
			roles: members.filter((m) => m.userId === u.id).map((m) => m.role),
			createdAt: u.createdAt,
		}));
}

async function roleChoices(c: AdminContext) {
	return (await listRoles(c.env.DB)).map((r) => ({ value: r.key, label: r.name }));
}

peopleRoutes.get("/users", async (c) => {
	const q = (c.req.query("q") ?? "").slice(0, 100);
	return c.html(
		<UsersPage
			chrome={chromeOf(c)}
			users={await usersList(c, q)}
			roles={await roleChoices(c)}
			form={{ values: { email: "", displayName: "", isAdmin: false, roles: [] }, errors: {} }}
			q={q}
			notice={noticeText(c)}
		/>,
	);
});

peopleRoutes.post("/users", async (c) => {
	const body = await c.req.parseBody({ all: true });
	const text = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
	const roleKeys = ([] as unknown[])
		.concat(body.roles ?? [])
		.filter((r): r is string => typeof r === "string");
	const values = {
		email: text("email").trim(),
		displayName: text("displayName").trim(),
		isAdmin: text("isAdmin") === "true",
		roles: roleKeys,
	};
	const errors: Record<string, string> = {};
	const email = emailSchema.safeParse(values.email);
	if (!email.success) errors.email = email.error.issues[0]?.message ?? "Write an email address.";
	const name = nameSchema.safeParse(values.displayName);
	if (!name.success) errors.displayName = name.error.issues[0]?.message ?? "Give a name.";
	const password = text("password");
	if (password !== "") {
		const problem = passwordProblem(password, [values.email, values.displayName]);
		if (problem) errors.password = problem;
	}
	const known = new Set((await listRoles(c.env.DB)).map((r) => r.key));
	if (roleKeys.some((r) => !known.has(r))) errors.roles = "Choose roles from the list.";
	if (!errors.email && (await findUserByEmail(c.env.DB, values.email))) {
		errors.email = "There is already a user with this email.";
	}
	if (Object.keys(errors).length > 0) {
		return c.html(
			<UsersPage
				chrome={chromeOf(c)}
				users={await usersList(c, "")}
				roles={await roleChoices(c)}
				form={{ values, errors }}
				q=""
			/>,
			422,
		);
	}
	const now = Date.now();
	const user = await createUser(
		c.env.DB,
		{
			email: values.email,
			displayName: values.displayName,
			isAdmin: values.isAdmin,
			now,
			...(password ? { password } : {}),
		},
		c.get("user").id,
	);
	for (const role of roleKeys) await addMember(c.env.DB, role, user.id, now, c.get("user").id);
	return seeOther(c, withNotice(userPath(user.id), "created"));
});

async function userView(c: AdminContext, id: string) {
	const user = await findUserById(c.env.DB, id);
	if (!user) throw new AppError("not_found", "There is no such user.");
	const [allRoles, mine, grants, scopes, activeTasks] = await Promise.all([
		listRoles(c.env.DB),
		membershipsOf(c.env.DB, id),
		listGrants(c.env.DB),
		scopeChoices(c),
		activeTasksAssignedTo(c.env.DB, id),
	]);
	const roleName = new Map(allRoles.map((r) => [r.key, r.name]));
	const myRoles = new Set(mine.map((m) => m.key));
	const scopeLabel = labelOfScope(scopes);
	const grantViews: GrantView[] = grants
		.filter(
			(g) =>
				(g.subjectKind === "user" && g.subjectId === id) ||
				(g.subjectKind === "role" && myRoles.has(g.subjectId)),
		)
		.map((g) => ({
			subjectKind: g.subjectKind as "user" | "role",
			subjectId: g.subjectId,
			subjectLabel:
				g.subjectKind === "role" ? (roleName.get(g.subjectId) ?? g.subjectId) : user.displayName,
			permission: g.permission,
			scope: g.scope,
			scopeLabel: scopeLabel(g.scope),
			inherited: g.subjectKind === "role",
		}));
	return {
		id: user.id,
		email: user.email,
		displayName: user.displayName,
		active: user.active,
		isAdmin: user.isAdmin,
		hasPassword: passwordOf(user) !== null,
		createdAt: user.createdAt,
		isSelf: user.id === c.get("user").id,
		roles: mine.map((m) => ({
			key: m.key,
			name: roleName.get(m.key) ?? m.key,
			joinedAt: m.joinedAt,
		})),
		otherRoles: allRoles
			.filter((r) => !myRoles.has(r.key))
			.map((r) => ({ value: r.key, label: r.name })),
		grants: grantViews,
		scopes,
		activeTasks,
	};
}

peopleRoutes.get("/users/:id", async (c) =>
	c.html(
		<UserPage
			chrome={chromeOf(c)}
			user={await userView(c, c.req.param("id"))}
			notice={noticeText(c)}
		/>,
	),
);

async function userOr404(c: AdminContext) {
	const user = await findUserById(c.env.DB, c.req.param("id") ?? "");
	if (!user) throw new AppError("not_found", "There is no such user.");
	return user;
}

async function userErrors(c: AdminContext, id: string, errors: Record<string, string>) {
	return c.html(
		<UserPage chrome={chromeOf(c)} user={await userView(c, id)} errors={errors} />,
		422,
	);
}

peopleRoutes.post("/users/:id/profile", async (c) => {
	const user = await userOr404(c);
	const form = await posted(c);
	const name = nameSchema.safeParse(form.displayName ?? "");
	if (!name.success)
		return userErrors(c, user.id, { displayName: name.error.issues[0]?.message ?? "Give a name." });
	await updateDisplayName(c.env.DB, user.id, name.data, c.get("user").id);
	// An admin never removes their own rights by accident (there may be no other admin).
	if (user.id !== c.get("user").id)
		await setAdmin(c.env.DB, user.id, form.isAdmin === "true", c.get("user").id);
	return seeOther(c, withNotice(userPath(user.id), "updated"));
});

peopleRoutes.post("/users/:id/active", async (c) => {
	const user = await userOr404(c);
	const form = await posted(c);
	const active = form.active === "true";
	if (user.id === c.get("user").id && !active) {
		throw new AppError("conflict", "You cannot deactivate yourself; ask another administrator.");
	}
	await setUserActive(c.env.DB, user.id, active, Date.now(), c.get("user").id);
	return seeOther(c, withNotice(userPath(user.id), active ? "activated" : "deactivated"));
});

peopleRoutes.post("/users/:id/password", async (c) => {
	const user = await userOr404(c);
	const form = await posted(c);
	const password = form.password ?? "";
	const problem = passwordProblem(password, [user.email, user.displayName]);
	if (problem) return userErrors(c, user.id, { password: problem });
	await setPassword(c.env.DB, user.id, password, c.get("user").id);
	return seeOther(c, withNotice(userPath(user.id), "password-set"));
});

/** A generated password, shown once in this answer (never stored in clear, never in a URL). */
peopleRoutes.post("/users/:id/password/reset", async (c) => {
	const user = await userOr404(c);
	const generated = randomId(12);
	await setPassword(c.env.DB, user.id, generated, c.get("user").id);
	c.header("Cache-Control", "no-store");
	return c.html(
		<UserPage
			chrome={chromeOf(c)}
			user={await userView(c, user.id)}
			generatedPassword={generated}
		/>,
	);
});

peopleRoutes.post("/users/:id/sessions/end", async (c) => {
	const user = await userOr404(c);
	await endAllSessions(c.env.DB, user.id, c.get("user").id);
	return seeOther(c, withNotice(userPath(user.id), "updated"));
});

peopleRoutes.post("/users/:id/roles", async (c) => {
	const user = await userOr404(c);
	const form = await posted(c);
	const role = form.role ?? "";
	if (!(await listRoles(c.env.DB)).some((r) => r.key === role)) {
		return userErrors(c, user.id, { role: "Choose a role from the list." });
	}
	await addMember(c.env.DB, role, user.id, Date.now(), c.get("user").id);
	return seeOther(c, withNotice(userPath(user.id), "updated"));
});

peopleRoutes.post("/users/:id/roles/:role/remove", async (c) => {
	const user = await userOr404(c);
	await removeMember(c.env.DB, c.req.param("role"), user.id, c.get("user").id);
	return seeOther(c, withNotice(userPath(user.id), "updated"));
});

// ---------------------------------------------------------------------------------------------
// Roles

/** The published workflows (latest versions) that name each role. */
async function roleUsage(c: AdminContext): Promise<Map<string, string[]>> {
	const usage = new Map<string, string[]>();
	for (const row of await latestDefinitions(c.env.DB)) {
		for (const role of new Set(
			allNodes(row.definition)
				.map((n) => n.role)
				.filter((r): r is string => Boolean(r)),
		)) {
			usage.set(role, [...(usage.get(role) ?? []), row.name]);
		}
	}
	return usage;
}

async function rolesList(c: AdminContext) {
	const [all, counts, usage] = await Promise.all([
		listRoles(c.env.DB),
		memberCountsByRole(c.env.DB),
		roleUsage(c),
	]);
	return all.map((r) => {
		const n = counts.get(r.key);
		return {
			key: r.key,
			name: r.name,
			members: n?.members ?? 0,
			activeMembers: n?.active ?? 0,
			usedBy: usage.get(r.key) ?? [],
		};
	});
}

peopleRoutes.get("/roles", async (c) =>
	c.html(
		<RolesPage
			chrome={chromeOf(c)}
			roles={await rolesList(c)}
			form={{ values: { key: "", name: "" }, errors: {} }}
			notice={noticeText(c)}
		/>,
	),
);

peopleRoutes.post("/roles", async (c) => {
	const form = await posted(c);
	const values = { key: (form.key ?? "").trim(), name: (form.name ?? "").trim() };
	const errors: Record<string, string> = {};
	if (!KEY_PATTERN.test(values.key)) {
		errors.key =
			values.key === ""
				? "Give the role a key."
				: "A key is a letter, then letters, digits, _ . - (64 at most).";
	}
	const name = nameSchema.safeParse(values.name);
	if (!name.success) errors.name = name.error.issues[0]?.message ?? "Give a name.";
	if (!errors.key && (await listRoles(c.env.DB)).some((r) => r.key === values.key)) {
		errors.key = `There is already a role "${values.key}".`;
	}
	if (Object.keys(errors).length > 0) {
		return c.html(
			<RolesPage chrome={chromeOf(c)} roles={await rolesList(c)} form={{ values, errors }} />,
			422,
		);
	}
	await addRole(
		c.env.DB,
		{ key: values.key, name: values.name, now: Date.now() },
		c.get("user").id,
	);
	return seeOther(c, withNotice(rolePath(values.key), "created"));
});

async function roleView(c: AdminContext, key: string) {
	const role = (await listRoles(c.env.DB)).find((r) => r.key === key);
	if (!role) throw new AppError("not_found", "There is no such role.");
	const [members, users, grants, scopes, usage] = await Promise.all([
		listMembers(c.env.DB, key),
		listUsers(c.env.DB),
		grantsOf(c.env.DB, "role", key),
		scopeChoices(c),
		roleUsage(c),
	]);
	const inRole = new Set(members.map((m) => m.userId));
	const scopeLabel = labelOfScope(scopes);
	return {
		key,
		name: role.name,
		members,
		others: users
			.filter((u) => !inRole.has(u.id) && u.active)
			.map((u) => ({ value: u.id, label: `${u.displayName} (${u.email})` })),
		grants: grants.map((g) => ({
			subjectKind: "role" as const,
			subjectId: key,
			subjectLabel: role.name,
			permission: g.permission,
			scope: g.scope,
			scopeLabel: scopeLabel(g.scope),
		})),
		scopes,
		usedBy: usage.get(key) ?? [],
	};
}

peopleRoutes.get("/roles/:key", async (c) =>
	c.html(
		<RolePage
			chrome={chromeOf(c)}
			role={await roleView(c, c.req.param("key"))}
			notice={noticeText(c)}
		/>,
	),
);

peopleRoutes.post("/roles/:key", async (c) => {
	const key = c.req.param("key");
	const view = await roleView(c, key);
	const form = await posted(c);
	const name = nameSchema.safeParse(form.name ?? "");
	if (!name.success) {
		return c.html(
			<RolePage
				chrome={chromeOf(c)}
				role={view}
				errors={{ name: name.error.issues[0]?.message ?? "Give a name." }}
			/>,
			422,
		);
	}
	await upsertRole(c.env.DB, { key, name: name.data, now: Date.now() }, c.get("user").id);
	return seeOther(c, withNotice(rolePath(key), "updated"));
});

peopleRoutes.post("/roles/:key/members", async (c) => {
	const key = c.req.param("key");
	const view = await roleView(c, key);
	const form = await posted(c);
	const user = await findUserById(c.env.DB, form.user ?? "");
	if (!user) {
		return c.html(
			<RolePage
				chrome={chromeOf(c)}
				role={view}
				errors={{ user: "Choose a user from the list." }}
			/>,
			422,
		);
	}
	await addMember(c.env.DB, key, user.id, Date.now(), c.get("user").id);
	return seeOther(c, withNotice(rolePath(key), "updated"));
});

peopleRoutes.post("/roles/:key/members/:user/remove", async (c) => {
	const key = c.req.param("key");
	await roleView(c, key);
	await removeMember(c.env.DB, key, c.req.param("user"), c.get("user").id);
	return seeOther(c, withNotice(rolePath(key), "updated"));
});

// ---------------------------------------------------------------------------------------------
// Grants (from the user, role and workflow pages)

/** "*" and every workflow key, for the scope of a grant. */
async function scopeChoices(c: AdminContext) {
	const rows = await workflowNames(c.env.DB);
	return [
		{ value: "*", label: "Every workflow" },
		...rows.map((w) => ({ value: w.key, label: w.name })),
	];
}

function labelOfScope(scopes: { value: string; label: string }[]) {
	return (scope: string) => scopes.find((s) => s.value === scope)?.label ?? scope;
}

/** The grant a form names; the subject and the scope must exist. */
async function grantFrom(c: AdminContext) {
	const form = await posted(c);
	const [kindFromPair, idFromPair] = (form.subject ?? "").split(":", 2);
	const subjectKind = form.subjectKind ?? kindFromPair ?? "";
	const subjectId = form.subjectId ?? idFromPair ?? "";
	const permission = form.permission ?? "";
	const scope = form.scope ?? "";
	const back = safeNextPath(form.back);
	const backTo = back.startsWith("/admin/") ? back : "/admin";
	if (subjectKind !== "user" && subjectKind !== "role")
		throw new AppError("invalid_request", "Choose a role or a user.");
	if (!isPermission(permission))
		throw new AppError("invalid_request", "Choose a permission from the list.");
	const exists =
		subjectKind === "user"
			? Boolean(await findUserById(c.env.DB, subjectId))
			: Boolean(await findRole(c.env.DB, subjectId));
	if (!exists) throw new AppError("not_found", `There is no such ${subjectKind}.`);
	if (scope !== "*" && !(await findWorkflow(c.env.DB, scope))) {
		throw new AppError("invalid_request", "Choose a workflow from the list.");
	}
	return {
		grant: { subjectKind, subjectId, permission: permission as Permission, scope },
		backTo,
	} as const;
}

peopleRoutes.post("/grants", async (c) => {
	const { grant, backTo } = await grantFrom(c);
	await grantPermission(c.env.DB, { ...grant, grantedBy: c.get("user").id, now: Date.now() });
	return seeOther(c, withNotice(backTo, "updated"));
});

peopleRoutes.post("/grants/revoke", async (c) => {
	const { grant, backTo } = await grantFrom(c);
	await revokePermission(c.env.DB, grant, c.get("user").id);
	return seeOther(c, withNotice(backTo, "updated"));
});

/** Grants on one workflow (its own key and "*"), for the workflow page. */
export async function grantsOfWorkflow(db: D1Database, key: string): Promise<GrantView[]> {
	const [grants, users, roles] = await Promise.all([
		grantsOnWorkflow(db, key),
		listUsers(db),
		listRoles(db),
	]);
	return grants.map((g) => ({
		subjectKind: g.subjectKind as "user" | "role",
		subjectId: g.subjectId,
		subjectLabel:
			g.subjectKind === "role"
				? (roles.find((r) => r.key === g.subjectId)?.name ?? g.subjectId)
				: (users.find((u) => u.id === g.subjectId)?.displayName ?? g.subjectId),
		permission: g.permission,
		scope: g.scope,
		scopeLabel: g.scope === "*" ? "Every workflow" : "This workflow",
	}));
}
