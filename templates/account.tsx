// The account page: who you are, your API tokens (a new one shown once, the list with last use,
// revoke), what they are told and where (notifications), signing out here or everywhere. Plain
// forms, each with its CSRF token; no JavaScript needed.

import {
	CHANNELS,
	type Channel,
	type Choices,
	KIND_LABELS,
	NOTICE_KINDS,
} from "../src/notifications/kinds.ts";
import { TableHead } from "./components.tsx";
import { Layout } from "./layout.tsx";

export interface ApiTokenRow {
	id: string;
	name: string;
	scopes: string[];
	/** K1: with the external-tasks scope, the task types its workers serve. */
	externalTaskTypes: string[];
	createdAt: number;
	expiresAt: number | null;
	lastUsedAt: number | null;
	revokedAt: number | null;
}

export interface AccountView {
	csrfToken: string;
	user: {
		displayName: string;
		email: string;
		isAdmin: boolean;
		roles: { key: string; name: string }[];
	};
	/** Whether the user signed in with a password (else Cloudflare Access). */
	hasPasswordSession: boolean;
	tokens: ApiTokenRow[];
	/** The scopes the user may give a token, with what each allows. */
	scopes: { key: string; description: string }[];
	/** A token just created: its secret, shown this once. */
	created?: { name: string; token: string };
	form?: {
		name?: string;
		scopes?: string[];
		expires?: string;
		taskTypes?: string;
		errors?: Record<string, string>;
	};
	now: number;
	/** What the user is told, where, and the last save's outcome. */
	notifications: NotificationsForm;
}

export interface NotificationsForm {
	choices: Choices;
	webhookUrl: string;
	/** Set after a successful save, for the status line. */
	saved?: boolean;
	errors?: { webhookUrl?: string };
	/** The digest window (digestWindowMs), in minutes. */
	digestMinutes: number;
}

const CHANNEL_LABELS: Record<Channel, string> = { email: "Email", webhook: "Webhook" };

const EXPIRY_CHOICES = [
	["30", "30 days"],
	["90", "90 days"],
	["365", "1 year"],
	["never", "Never"],
] as const;

function When({ at }: { at: number | null }) {
	if (at === null) return <span class="muted">never</span>;
	const iso = new Date(at).toISOString();
	return <time datetime={iso}>{`${iso.slice(0, 16).replace("T", " ")} UTC`}</time>;
}

function tokenState(t: ApiTokenRow, now: number): string {
	if (t.revokedAt !== null) return "Revoked";
	if (t.expiresAt !== null && t.expiresAt <= now) return "Expired";
	return "Active";
}

export function AccountPage(v: AccountView) {
	const errors = v.form?.errors ?? {};
	const chosen = new Set(v.form?.scopes ?? ["read"]);
	return (
		<Layout title="Your account" csrfToken={v.csrfToken} user={v.user}>
			<h1>Your account</h1>
			<section aria-labelledby="who-title">
				<h2 id="who-title">Signed in as</h2>
				<p>
					{v.user.displayName} &lt;{v.user.email}&gt;{v.user.isAdmin ? " · administrator" : ""}
				</p>
				<p>
					Roles:{" "}
					{v.user.roles.length > 0 ? (
						v.user.roles.map((r) => r.name).join(", ")
					) : (
						<span class="muted">none</span>
					)}
				</p>
				<form method="post" action="/sign-out" class="inline">
					<input type="hidden" name="_csrf" value={v.csrfToken} />
					<button type="submit">Sign out</button>
				</form>
				{v.hasPasswordSession ? (
					<form method="post" action="/account/sessions/end" class="inline">
						<input type="hidden" name="_csrf" value={v.csrfToken} />
						<button type="submit">Sign out everywhere</button>
					</form>
				) : null}
			</section>

			<NotificationSettings v={v.notifications} csrfToken={v.csrfToken} email={v.user.email} />

			<section aria-labelledby="tokens-title">
				<h2 id="tokens-title">API tokens</h2>
				<p>
					For scripts and the JSON API: send <code>Authorization: Bearer &lt;token&gt;</code>. A
					token never does more than you may.
				</p>
				{v.created ? (
					<div class="alert alert-success" role="status" id="new-token">
						<p>
							<strong>Token “{v.created.name}” created.</strong> Copy it now: it will not be shown
							again.
						</p>
						<label for="new-token-value">Your new token</label>
						<input
							id="new-token-value"
							type="text"
							readonly
							value={v.created.token}
							class="token"
						/>
					</div>
				) : null}

				<table class="table">
					<caption class="visually-hidden">Your API tokens</caption>
					<TableHead
						columns={["Name", "Scopes", "Created", "Last used", "Expires", "State"]}
						actions
					/>
					<tbody>
						{v.tokens.length === 0 ? (
							<tr>
								<td colspan={7} class="muted">
									No tokens yet.
								</td>
							</tr>
						) : (
							v.tokens.map((t) => (
								<tr id={`token-${t.id}`}>
									<td>{t.name}</td>
									<td>
										{t.scopes.join(", ")}
										{t.externalTaskTypes.length > 0 ? (
											<span class="muted block">Task types: {t.externalTaskTypes.join(", ")}</span>
										) : null}
									</td>
									<td>
										<When at={t.createdAt} />
									</td>
									<td>
										<When at={t.lastUsedAt} />
									</td>
									<td>
										<When at={t.expiresAt} />
									</td>
									<td>{tokenState(t, v.now)}</td>
									<td>
										{tokenState(t, v.now) === "Active" ? (
											<form method="post" action={`/account/tokens/${t.id}/revoke`} class="inline">
												<input type="hidden" name="_csrf" value={v.csrfToken} />
												<button type="submit" aria-label={`Revoke ${t.name}`}>
													Revoke
												</button>
											</form>
										) : null}
									</td>
								</tr>
							))
						)}
					</tbody>
				</table>

				<h3 id="new-token-title">New token</h3>
				<form method="post" action="/account/tokens" class="form" aria-labelledby="new-token-title">
					<input type="hidden" name="_csrf" value={v.csrfToken} />
					<div class="field">
						<label for="token-name">Name</label>
						<input
							id="token-name"
							name="name"
							type="text"
							required
							maxlength={80}
							value={v.form?.name ?? ""}
							aria-invalid={errors.name ? "true" : undefined}
							aria-describedby={errors.name ? "token-name-error" : undefined}
						/>
						{errors.name ? (
							<p id="token-name-error" class="field-error">
								{errors.name}
							</p>
						) : null}
					</div>
					<fieldset aria-describedby={errors.scopes ? "token-scopes-error" : undefined}>
						<legend>Scopes</legend>
						{v.scopes.map((s) => (
							<div class="checkbox">
								<input
									id={`scope-${s.key}`}
									type="checkbox"
									name="scopes"
									value={s.key}
									checked={chosen.has(s.key)}
								/>
								<label for={`scope-${s.key}`}>
									<code>{s.key}</code> {s.description}
								</label>
							</div>
						))}
						{errors.scopes ? (
							<p id="token-scopes-error" class="field-error">
								{errors.scopes}
							</p>
						) : null}
					</fieldset>
					{v.scopes.some((s) => s.key === "external-tasks") ? (
						<div class="field">
							<label for="token-task-types">Task types (with external-tasks)</label>
							<p id="token-task-types-help" class="muted">
								The external task types this token's workers fetch and finish, separated by commas
								or spaces; it gets nothing of any other type.
							</p>
							<input
								id="token-task-types"
								name="taskTypes"
								type="text"
								maxlength={2000}
								value={v.form?.taskTypes ?? ""}
								aria-invalid={errors.taskTypes ? "true" : undefined}
								aria-describedby={
									errors.taskTypes
										? "token-task-types-help token-task-types-error"
										: "token-task-types-help"
								}
							/>
							{errors.taskTypes ? (
								<p id="token-task-types-error" class="field-error">
									{errors.taskTypes}
								</p>
							) : null}
						</div>
					) : null}
					<div class="field">
						<label for="token-expires">Expires after</label>
						<select id="token-expires" name="expires">
							{EXPIRY_CHOICES.map(([value, label]) => (
								<option value={value} selected={(v.form?.expires ?? "90") === value}>
									{label}
								</option>
							))}
						</select>
					</div>
					<button type="submit">Create token</button>
				</form>
			</section>
		</Layout>
	);
}

function NotificationSettings(props: { v: NotificationsForm; csrfToken: string; email: string }) {
	const { v } = props;
	const error = v.errors?.webhookUrl;
	const minutes = v.digestMinutes;
	return (
		<section aria-labelledby="notifications-title" id="notifications">
			<h2 id="notifications-title">Notifications</h2>
			<p>
				Mail goes to {props.email}.
				{minutes > 0
					? ` At most one message every ${minutes === 1 ? "minute" : `${minutes} minutes`}: what happens in between comes together in one digest.`
					: null}
			</p>
			{v.saved ? (
				<p class="alert alert-success" role="status">
					Your notification settings are saved.
				</p>
			) : null}
			<form
				method="post"
				action="/account/notifications"
				class="form"
				aria-labelledby="notifications-title"
			>
				<input type="hidden" name="_csrf" value={props.csrfToken} />
				{NOTICE_KINDS.map((kind) => (
					<fieldset aria-describedby={`notify-${kind}-hint`}>
						<legend>{KIND_LABELS[kind].label}</legend>
						<p id={`notify-${kind}-hint`} class="muted">
							{KIND_LABELS[kind].hint}
						</p>
						{CHANNELS.map((channel) => (
							<div class="checkbox">
								<input
									id={`notify-${kind}-${channel}`}
									type="checkbox"
									name={kind}
									value={channel}
									checked={v.choices[kind].includes(channel)}
								/>
								<label for={`notify-${kind}-${channel}`}>{CHANNEL_LABELS[channel]}</label>
							</div>
						))}
					</fieldset>
				))}
				<div class="field">
					<label for="notify-webhook-url">Webhook URL (Slack or Teams)</label>
					<p id="notify-webhook-url-help" class="muted">
						An incoming webhook that takes {'{"text": "…"}'}; https only. Leave it empty for no
						webhook.
					</p>
					<input
						id="notify-webhook-url"
						name="webhookUrl"
						type="text"
						inputmode="url"
						spellcheck={false}
						maxlength={2000}
						value={v.webhookUrl}
						aria-invalid={error ? "true" : undefined}
						aria-describedby={
							error ? "notify-webhook-url-help notify-webhook-url-error" : "notify-webhook-url-help"
						}
					/>
					{error ? (
						<p id="notify-webhook-url-error" class="field-error">
							{error}
						</p>
					) : null}
				</div>
				<button type="submit">Save notification settings</button>
			</form>
		</section>
	);
}
