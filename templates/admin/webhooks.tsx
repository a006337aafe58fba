// The admins' webhook triggers: the list, the form that creates one, and the page that shows a new
// secret once (after creating a trigger or rotating its secret).

import type { Chrome } from "../../src/http/view-models/page-context.ts";
import {
	CheckboxField,
	EmptyState,
	ErrorSummary,
	FormActions,
	fieldBinder,
	linkedErrors,
	SelectField,
	TableHead,
	TextAreaField,
	TextField,
} from "../components.tsx";
import { AdminPage, PostForm, trail } from "./admin-page.tsx";

export interface TriggerRow {
	key: string;
	name: string;
	kind: "start" | "event";
	workflowKey: string;
	scheme: string;
	enabled: boolean;
	url: string;
}

export interface FormState {
	values: Record<string, string>;
	errors: Record<string, string>;
}

export const SCHEME_LABELS: Record<string, string> = {
	standard: "Standard Webhooks (HMAC, whsec_ secret)",
	github: "GitHub (X-Hub-Signature-256)",
	jwt: "JWT (Authorization: Bearer)",
};

export const KIND_LABELS: Record<string, string> = {
	start: "Start a process",
	event: "Complete a waiting event task",
};

export function triggerHref(key: string): string {
	return `/admin/webhooks/${encodeURIComponent(key)}`;
}

export function WebhooksPage({
	chrome,
	triggers,
	workflows,
	form,
	notice,
}: {
	chrome: Chrome;
	triggers: TriggerRow[];
	workflows: { key: string; name: string }[];
	form: FormState;
	notice?: string | undefined;
}) {
	return (
		<AdminPage
			chrome={chrome}
			title="Webhooks"
			section="webhooks"
			crumbs={trail()}
			notice={notice}
			lead="Other systems start processes, or complete the tasks waiting for their events, by sending signed requests to a trigger's URL. Every delivery is logged here."
		>
			{triggers.length === 0 ? (
				<EmptyState title="No triggers yet">
					<p>Create one below.</p>
				</EmptyState>
			) : (
				<div class="table-scroll" tabindex={0}>
					<table class="table">
						<caption class="visually-hidden">Webhook triggers</caption>
						<TableHead columns={["Name", "URL", "Does", "Workflow", "Signed with", "State"]} />
						<tbody>
							{triggers.map((t) => (
								<tr>
									<th scope="row">
										<a href={triggerHref(t.key)}>{t.name}</a>
									</th>
									<td>
										<code>{t.url}</code>
									</td>
									<td>{KIND_LABELS[t.kind]}</td>
									<td>
										<code>{t.workflowKey}</code>
									</td>
									<td>{SCHEME_LABELS[t.scheme] ?? t.scheme}</td>
									<td>{t.enabled ? "Enabled" : <span class="muted">Disabled</span>}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<NewTriggerForm chrome={chrome} workflows={workflows} form={form} />
		</AdminPage>
	);
}

function NewTriggerForm({
	chrome,
	workflows,
	form,
}: {
	chrome: Chrome;
	workflows: { key: string; name: string }[];
	form: FormState;
}) {
	const v = form.values;
	const e = form.errors;
	const errors = linkedErrors(e, "new-");
	const bind = fieldBinder(v, e, "new-");
	return (
		<section class="card" aria-labelledby="new-trigger-title">
			<h2 id="new-trigger-title">New trigger</h2>
			<ErrorSummary errors={errors} />
			<PostForm action="/admin/webhooks" csrfToken={chrome.csrfToken} label="New trigger">
				<TextField
					{...bind("key")}
					label="Key"
					required
					help="The URL becomes /hooks/<key>: lower-case letters, digits and -."
				/>
				<TextField id="new-name" name="name" label="Name" value={v.name} error={e.name} required />
				<SelectField
					{...bind("kind")}
					label="What a delivery does"
					choices={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
				/>
				<SelectField
					{...bind("workflowKey")}
					label="Workflow"
					choices={workflows.map((w) => ({ value: w.key, label: `${w.name} (${w.key})` }))}
					help="The workflow it starts, or whose waiting event tasks it may complete."
				/>
				<SelectField
					{...bind("scheme")}
					label="Senders sign with"
					choices={Object.entries(SCHEME_LABELS).map(([value, label]) => ({ value, label }))}
				/>
				<fieldset>
					<legend>For JWT senders</legend>
					<SelectField
						{...bind("jwtAlgorithm")}
						label="Algorithm (the only one accepted)"
						choices={["HS256", "RS256", "PS256", "ES256", "EdDSA"].map((a) => ({
							value: a,
							label: a === "HS256" ? "HS256 (shared secret)" : `${a} (the sender's public keys)`,
						}))}
					/>
					<TextField
						{...bind("jwtAudience")}
						label="Audience"
						help="The aud claim senders must put in their tokens."
					/>
					<TextField {...bind("jwtIssuer")} label="Issuer (optional)" />
				</fieldset>
				<TextAreaField
					{...bind("mapping")}
					label="Payload mapping (JSON)"
					code
					rows={6}
					help='param → source, e.g. {"orderId": {"from": "/order/id", "type": "string", "required": true}}. An event trigger maps only correlationKey.'
				/>
				<TextField
					{...bind("priority")}
					label="Priority of started processes (0–9, optional)"
					type="number"
					min={0}
					max={9}
				/>
				<TextField
					{...bind("rateLimitPerMinute")}
					label="Deliveries per minute"
					type="number"
					min={1}
					max={10000}
				/>
				<TextAreaField
					{...bind("secret")}
					label="Secret or public keys (optional)"
					code
					rows={3}
					help="Leave empty to have a secret generated (shown once). For JWT with public keys, paste the sender's JWKS."
				/>
				<CheckboxField
					id="new-enabled"
					name="enabled"
					label="Enabled"
					checked={v.enabled !== "false"}
				/>
				<FormActions label="Create trigger" button="button button-primary" />
			</PostForm>
		</section>
	);
}

/** A secret, shown this once: after creating a trigger, or after a rotation. */
export function SecretShownPage({
	chrome,
	trigger,
	secret,
	heading,
	previousValidUntil,
}: {
	chrome: Chrome;
	trigger: { key: string; name: string; url: string; scheme: string };
	secret: string | null;
	heading: string;
	previousValidUntil?: number | null;
}) {
	return (
		<AdminPage chrome={chrome} title={heading} section="webhooks" crumbs={trail("webhooks")}>
			<div class="page-head">
				<h1>{heading}</h1>
			</div>
			<section class="card" aria-labelledby="secret-title">
				<h2 id="secret-title">{trigger.name}</h2>
				<p>
					Senders post to <code>{trigger.url}</code>.
				</p>
				{secret ? (
					<>
						<p>
							<strong>Copy the secret now: it is not shown again.</strong> Give it to the sender
							(for GitHub, paste it as the webhook's secret).
						</p>
						<label for="shown-secret">Secret</label>
						<input id="shown-secret" type="text" readonly value={secret} class="code" />
					</>
				) : (
					<p>The keys you gave are in place.</p>
				)}
				{previousValidUntil ? (
					<p>
						The previous secret stays valid until{" "}
						<time datetime={new Date(previousValidUntil).toISOString()}>
							{`${new Date(previousValidUntil).toISOString().slice(0, 16).replace("T", " ")} UTC`}
						</time>
						, so senders can switch without losing deliveries.
					</p>
				) : null}
				<p>
					<a href={triggerHref(trigger.key)}>Back to the trigger</a>
				</p>
			</section>
		</AdminPage>
	);
}
