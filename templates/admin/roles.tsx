// Roles for admins: the list with members and the workflows that name each role, a new role, and
// one role's page: its name, its members (the assignment pool, T3), and what it may do.

import type { Chrome } from "../../src/http/view-models/page-context.ts";
import {
	At,
	EmptyState,
	ErrorSummary,
	FormActions,
	fieldBinder,
	linkedErrors,
	TableHead,
	TextField,
} from "../components.tsx";
import { AddForm, AdminPage, PostForm, RemoveForm, trail } from "./admin-page.tsx";
import { type Choice, type GrantView, SubjectGrants } from "./grants.tsx";

export interface RoleListRow {
	key: string;
	name: string;
	members: number;
	activeMembers: number;
	usedBy: string[];
}

export function RolesPage({
	chrome,
	roles,
	form,
	notice,
}: {
	chrome: Chrome;
	roles: RoleListRow[];
	form: { values: { key: string; name: string }; errors: Record<string, string> };
	notice?: string | undefined;
}) {
	const bind = fieldBinder(form.values, form.errors, "new-role-");
	return (
		<AdminPage
			chrome={chrome}
			title="Roles"
			section="roles"
			crumbs={trail()}
			notice={notice}
			lead="A node names a role; its task goes to the active member with the fewest active tasks. A role with nobody in it leaves tasks unassigned (an incident)."
		>
			{roles.length === 0 ? (
				<EmptyState title="No roles yet" />
			) : (
				<div class="table-scroll" tabindex={0}>
					<table class="table">
						<caption class="visually-hidden">Roles</caption>
						<TableHead
							columns={["Role", "Key", { label: "Active members", num: true }, "Named by"]}
						/>
						<tbody>
							{roles.map((r) => (
								<tr>
									<th scope="row">
										<a href={`/admin/roles/${encodeURIComponent(r.key)}`}>{r.name}</a>
									</th>
									<td>
										<code>{r.key}</code>
									</td>
									<td class="num">
										{r.activeMembers === 0 ? (
											<span class="badge tone-danger">0</span>
										) : (
											r.activeMembers
										)}
										{r.members > r.activeMembers ? (
											<span class="muted small">{` (+${r.members - r.activeMembers} deactivated)`}</span>
										) : null}
									</td>
									<td>
										{r.usedBy.length > 0 ? r.usedBy.join(", ") : <span class="muted">—</span>}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<section class="card" aria-labelledby="new-role-title">
				<h2 id="new-role-title">New role</h2>
				<ErrorSummary errors={linkedErrors(form.errors, "new-role-")} />
				<PostForm action="/admin/roles" csrfToken={chrome.csrfToken} class="form">
					<div class="field-row">
						<TextField
							{...bind("key")}
							label="Key"
							required
							maxlength={64}
							help="What nodes name, e.g. accounting; it never changes."
						/>
						<TextField {...bind("name")} label="Name" required maxlength={100} />
					</div>
					<FormActions label="Create role" />
				</PostForm>
			</section>
		</AdminPage>
	);
}

export interface RolePageView {
	key: string;
	name: string;
	members: {
		userId: string;
		displayName: string;
		email: string;
		active: boolean;
		joinedAt: number;
	}[];
	others: Choice[];
	grants: GrantView[];
	scopes: Choice[];
	usedBy: string[];
}

export function RolePage({
	chrome,
	role,
	errors = {},
	notice,
}: {
	chrome: Chrome;
	role: RolePageView;
	errors?: Record<string, string>;
	notice?: string | undefined;
}) {
	const bind = fieldBinder(role, errors, "role-");
	const csrf = chrome.csrfToken;
	const base = `/admin/roles/${encodeURIComponent(role.key)}`;
	return (
		<AdminPage
			chrome={chrome}
			title={role.name}
			section="roles"
			crumbs={trail("roles")}
			notice={notice}
			lead={
				<>
					{`Key ${role.key}`}
					{role.usedBy.length > 0
						? ` · named by ${role.usedBy.join(", ")}`
						: " · no published workflow names it"}
				</>
			}
		>
			<ErrorSummary errors={linkedErrors(errors, "role-")} />
			<section class="card" aria-labelledby="members-title">
				<h2 id="members-title">{`Members (${role.members.length})`}</h2>
				<p class="muted small">The earliest member wins a tie when tasks are assigned.</p>
				{role.members.length === 0 ? (
					<p>
						<span class="badge tone-danger">nobody</span> Tasks of this role wait unassigned until
						someone joins.
					</p>
				) : (
					<div class="table-scroll" tabindex={0}>
						<table class="table">
							<caption class="visually-hidden">{`Members of ${role.name}`}</caption>
							<TableHead columns={["Member", "Email", "Since"]} actions />
							<tbody>
								{role.members.map((m) => (
									<tr>
										<th scope="row">
											<a href={`/admin/users/${encodeURIComponent(m.userId)}`}>{m.displayName}</a>
											{m.active ? null : <span class="badge tone-muted">deactivated</span>}
										</th>
										<td>{m.email}</td>
										<td>
											<At at={m.joinedAt} />
										</td>
										<td class="cell-actions">
											<RemoveForm
												action={`${base}/members/${encodeURIComponent(m.userId)}/remove`}
												csrfToken={csrf}
												what={` ${m.displayName}`}
											/>
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				)}
				{role.others.length > 0 ? (
					<AddForm
						action={`${base}/members`}
						csrfToken={csrf}
						field={{
							id: "role-user",
							name: "user",
							label: "Add a member",
							choices: role.others,
							blank: "Choose a user…",
							error: errors.user,
						}}
					/>
				) : null}
			</section>
			<div class="columns">
				<SubjectGrants
					heading="What members may do"
					subject={{ kind: "role", id: role.key }}
					name={role.name}
					grants={role.grants}
					scopes={role.scopes}
					csrf={csrf}
					back={base}
				/>
				<section class="card" aria-labelledby="rename-title">
					<h2 id="rename-title">Name</h2>
					<PostForm action={base} csrfToken={csrf} class="form">
						<TextField {...bind("name")} label="Name" required maxlength={100} />
						<FormActions label="Rename" button="button-secondary" />
					</PostForm>
				</section>
			</div>
		</AdminPage>
	);
}
