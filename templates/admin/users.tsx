// The admins' list of users and the form that creates one (with a password, or none for sign-in
// through Cloudflare Access), and one user's page: name and admin flag, active or not, password,
// sessions, roles and permissions.

import type { Chrome } from "../../src/http/view-models/page-context.ts";
import {
	At,
	CheckboxField,
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

export interface UserListRow {
	id: string;
	email: string;
	displayName: string;
	active: boolean;
	isAdmin: boolean;
	hasPassword: boolean;
	roles: string[];
	createdAt: number;
}

export interface NewUserForm {
	values: { email: string; displayName: string; isAdmin: boolean; roles: string[] };
	errors: Record<string, string>;
}

export function UsersPage({
	chrome,
	users,
	roles,
	form,
	q,
	notice,
}: {
	chrome: Chrome;
	users: UserListRow[];
	roles: Choice[];
	form: NewUserForm;
	q: string;
	notice?: string | undefined;
}) {
	const bind = fieldBinder(form.values, form.errors, "new-user-");
	const errors = linkedErrors(form.errors, "new-user-");
	return (
		<AdminPage
			chrome={chrome}
			title="Users"
			section="users"
			crumbs={trail()}
			notice={notice}
			lead="People who sign in to Baton. A task goes to a member of its node's role."
		>
			<search>
				<form method="get" action="/admin/users" class="filters" aria-label="Find users">
					<div class="filter filter-search">
						<label for="users-q">Name or email</label>
						<input id="users-q" name="q" type="search" value={q} />
					</div>
					<div class="filter-actions">
						<button type="submit" class="button-secondary">
							Find
						</button>
					</div>
				</form>
			</search>
			{users.length === 0 ? (
				<EmptyState title={q ? "Nobody matches" : "No users yet"} />
			) : (
				<div class="table-scroll" tabindex={0}>
					<table class="table">
						<caption class="visually-hidden">Users</caption>
						<TableHead columns={["Name", "Email", "Roles", "Status", "Created"]} />
						<tbody>
							{users.map((u) => (
								<tr>
									<th scope="row">
										<a href={`/admin/users/${encodeURIComponent(u.id)}`}>{u.displayName}</a>
										{u.isAdmin ? <span class="badge tone-info">admin</span> : null}
									</th>
									<td>{u.email}</td>
									<td>{u.roles.length > 0 ? u.roles.join(", ") : <span class="muted">—</span>}</td>
									<td>
										{u.active ? (
											<span class="badge tone-success">active</span>
										) : (
											<span class="badge tone-muted">deactivated</span>
										)}
										{u.hasPassword ? null : <span class="muted small"> no password</span>}
									</td>
									<td>
										<At at={u.createdAt} />
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<section class="card" aria-labelledby="new-user-title">
				<h2 id="new-user-title">New user</h2>
				<ErrorSummary errors={errors} />
				<PostForm action="/admin/users" csrfToken={chrome.csrfToken} class="form">
					<div class="field-row">
						<TextField
							{...bind("email")}
							type="email"
							label="Email"
							required
							maxlength={254}
							help="The sign-in name (and the Cloudflare Access identity)."
						/>
						<TextField {...bind("displayName")} label="Name" required maxlength={100} />
					</div>
					<TextField
						id="new-user-password"
						name="password"
						type="password"
						label="Password"
						error={form.errors.password}
						help="At least 10 characters, hard to guess (not a common password, a keyboard row or the person's name; a few unrelated words work well). Leave empty for a user who signs in through Cloudflare Access only, or set one later."
						attrs={{ autocomplete: "new-password" }}
					/>
					<CheckboxField
						id="new-user-admin"
						name="isAdmin"
						label="Administrator (manages workflows, people, incidents)"
						checked={form.values.isAdmin}
					/>
					{roles.length > 0 ? (
						<fieldset>
							<legend>Roles</legend>
							{/* Not CheckboxField, whose value is "true": each box sends its role's key. */}
							{roles.map((r) => (
								<div class="field field-checkbox">
									<div class="checkbox">
										<input
											id={`new-user-role-${r.value}`}
											name="roles"
											type="checkbox"
											value={r.value}
											checked={form.values.roles.includes(r.value)}
										/>
										<label for={`new-user-role-${r.value}`}>{r.label}</label>
									</div>
								</div>
							))}
						</fieldset>
					) : null}
					<FormActions label="Create user" />
				</PostForm>
			</section>
		</AdminPage>
	);
}

export interface UserPageView {
	id: string;
	email: string;
	displayName: string;
	active: boolean;
	isAdmin: boolean;
	hasPassword: boolean;
	createdAt: number;
	isSelf: boolean;
	roles: { key: string; name: string; joinedAt: number }[];
	otherRoles: Choice[];
	grants: GrantView[];
	scopes: Choice[];
	activeTasks: number;
}

export function UserPage({
	chrome,
	user,
	errors = {},
	generatedPassword,
	notice,
}: {
	chrome: Chrome;
	user: UserPageView;
	errors?: Record<string, string>;
	/** A password generated by a reset: shown once, on this answer only. */
	generatedPassword?: string;
	notice?: string | undefined;
}) {
	const bind = fieldBinder(user, errors, "user-");
	const csrf = chrome.csrfToken;
	const base = `/admin/users/${encodeURIComponent(user.id)}`;
	return (
		<AdminPage
			chrome={chrome}
			title={user.displayName}
			section="users"
			crumbs={trail("users")}
			notice={notice}
		>
			<div class="page-head">
				<h1>
					{user.displayName} {user.isAdmin ? <span class="badge tone-info">admin</span> : null}
					{user.active ? null : <span class="badge tone-muted">deactivated</span>}
				</h1>
				<p class="page-lead muted">
					{`${user.email} · created `}
					<At at={user.createdAt} />
					{` · ${user.activeTasks} active task${user.activeTasks === 1 ? "" : "s"}`}
				</p>
			</div>
			<ErrorSummary errors={linkedErrors(errors, "user-")} />
			{generatedPassword ? (
				<div class="alert alert-success" role="status">
					<p>
						The new password, shown this once: <code class="secret">{generatedPassword}</code>
					</p>
					<p class="small">
						Give it to {user.displayName} over a safe channel; their other sessions were ended.
					</p>
				</div>
			) : null}
			<div class="columns">
				<section class="card" aria-labelledby="profile-title">
					<h2 id="profile-title">Profile</h2>
					<PostForm action={`${base}/profile`} csrfToken={csrf} class="form">
						<TextField {...bind("displayName")} label="Name" required maxlength={100} />
						{user.isSelf ? (
							<p class="muted small">You cannot take away your own administrator rights.</p>
						) : (
							<CheckboxField
								id="user-admin"
								name="isAdmin"
								label="Administrator"
								checked={user.isAdmin}
							/>
						)}
						<FormActions label="Save" />
					</PostForm>
				</section>
				<section class="card" aria-labelledby="access-title">
					<h2 id="access-title">Sign-in</h2>
					<p>
						{user.hasPassword
							? "Signs in with a password."
							: "Has no password (Cloudflare Access only, or not set yet)."}
					</p>
					<PostForm action={`${base}/password`} csrfToken={csrf} class="form">
						<TextField
							id="user-password"
							name="password"
							type="password"
							label="Set a new password"
							error={errors.password}
							help="At least 10 characters, hard to guess (not a common password, a keyboard row or the person's name). Ends the user's sessions."
							attrs={{ autocomplete: "new-password" }}
						/>
						<FormActions label="Set password" button="button-secondary" />
					</PostForm>
					<div class="actions">
						<PostForm
							action={`${base}/password/reset`}
							csrfToken={csrf}
							class="inline"
							confirm="Replace the password with a generated one?"
						>
							<button type="submit" class="button-secondary">
								Reset to a generated password
							</button>
						</PostForm>
						<PostForm action={`${base}/sessions/end`} csrfToken={csrf} class="inline">
							<button type="submit" class="button-secondary">
								Sign out everywhere
							</button>
						</PostForm>
					</div>
					{user.isSelf ? null : (
						<PostForm
							action={`${base}/active`}
							csrfToken={csrf}
							class="inline"
							confirm={
								user.active
									? `Deactivate ${user.displayName}? They are signed out at once and their API tokens are revoked for good.`
									: undefined
							}
						>
							<input type="hidden" name="active" value={user.active ? "false" : "true"} />
							<button type="submit" class={user.active ? "button-danger" : "button-primary"}>
								{user.active ? "Deactivate" : "Activate again"}
							</button>
						</PostForm>
					)}
				</section>
			</div>
			<section class="card" aria-labelledby="roles-title">
				<h2 id="roles-title">Roles</h2>
				{user.roles.length === 0 ? (
					<p class="muted">In no role: gets no role's tasks.</p>
				) : (
					<ul class="plain-list">
						{user.roles.map((r) => (
							<li>
								<a href={`/admin/roles/${encodeURIComponent(r.key)}`}>{r.name}</a>{" "}
								<span class="muted small">
									{"since "}
									<At at={r.joinedAt} />
								</span>{" "}
								<RemoveForm
									action={`${base}/roles/${encodeURIComponent(r.key)}/remove`}
									csrfToken={csrf}
									what={` from ${r.name}`}
								/>
							</li>
						))}
					</ul>
				)}
				{user.otherRoles.length > 0 ? (
					<AddForm
						action={`${base}/roles`}
						csrfToken={csrf}
						field={{
							id: "user-role",
							name: "role",
							label: "Add to a role",
							choices: user.otherRoles,
							blank: "Choose…",
							error: errors.role,
						}}
					/>
				) : null}
			</section>
			<SubjectGrants
				heading="Permissions"
				subject={{ kind: "user", id: user.id }}
				name={user.displayName}
				grants={user.grants}
				scopes={user.scopes}
				csrf={csrf}
				back={base}
			/>
		</AdminPage>
	);
}
