// One webhook trigger for admins: its settings (a form), its secrets and their rotation, how a
// sender signs a request, and the delivery log with a Replay button on refused deliveries.

import type { Chrome } from "../../src/http/view-models/page-context.ts";
import {
	At,
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
import { type FormState, KIND_LABELS, SCHEME_LABELS, triggerHref } from "./webhooks.tsx";

export interface TriggerDetail {
	key: string;
	name: string;
	url: string;
	kind: "start" | "event";
	workflowKey: string;
	scheme: string;
	jwt: { algorithm: string; audience: string; issuer: string | null } | null;
	enabled: boolean;
	secrets: {
		id: string;
		hint: string;
		createdAt: number;
		expiresAt: number | null;
		live: boolean;
	}[];
}

export interface DeliveryRow {
	id: string;
	deliveryId: string | null;
	receivedAt: number;
	status: "accepted" | "duplicate" | "refused";
	httpStatus: number;
	reason: string | null;
	processId: string | null;
	replayable: boolean;
	replayOf: string | null;
}

export function deliveryHref(id: string): string {
	return `/admin/webhook-deliveries/${encodeURIComponent(id)}`;
}

const STATUS_LABELS: Record<DeliveryRow["status"], string> = {
	accepted: "Accepted",
	duplicate: "Duplicate",
	refused: "Refused",
};

export function TriggerPage({
	chrome,
	trigger,
	workflows,
	form,
	deliveries,
	status,
	olderHref,
	example,
	notice,
}: {
	chrome: Chrome;
	trigger: TriggerDetail;
	workflows: { key: string; name: string }[];
	form: FormState;
	deliveries: DeliveryRow[];
	status: string | undefined;
	olderHref: string | null;
	/** How a sender signs a request for this trigger, as shell commands. */
	example: string;
	notice?: string | undefined;
}) {
	const href = triggerHref(trigger.key);
	return (
		<AdminPage
			chrome={chrome}
			title={trigger.name}
			section="webhooks"
			crumbs={trail("webhooks")}
			notice={notice}
		>
			<div class="page-head">
				<h1>{trigger.name}</h1>
				<dl class="facts-inline">
					<dt>URL</dt>
					<dd>
						<code>{trigger.url}</code>
					</dd>
					<dt>Does</dt>
					<dd>{KIND_LABELS[trigger.kind]}</dd>
					<dt>Signed with</dt>
					<dd>{SCHEME_LABELS[trigger.scheme] ?? trigger.scheme}</dd>
					{trigger.jwt ? (
						<>
							<dt>Algorithm</dt>
							<dd>{trigger.jwt.algorithm}</dd>
						</>
					) : null}
					<dt>State</dt>
					<dd>{trigger.enabled ? "Enabled" : "Disabled"}</dd>
				</dl>
			</div>
			<Deliveries
				href={href}
				deliveries={deliveries}
				status={status}
				olderHref={olderHref}
				csrfToken={chrome.csrfToken}
			/>
			<Settings chrome={chrome} trigger={trigger} workflows={workflows} form={form} />
			<Secrets chrome={chrome} trigger={trigger} />
			<section class="card" aria-labelledby="example-title">
				<h2 id="example-title">Sending a request</h2>
				<p class="muted">
					With the secret in <code>$secret</code> (docs/webhooks.md has Node examples too):
				</p>
				<pre class="json">
					<code>{example}</code>
				</pre>
			</section>
			<section class="card" aria-labelledby="delete-title">
				<h2 id="delete-title">Delete</h2>
				<p>Deleting the trigger closes its URL and removes its secrets and delivery log.</p>
				<PostForm
					action={`${href}/delete`}
					csrfToken={chrome.csrfToken}
					confirm={`Delete the trigger ${trigger.key}?`}
					label="Delete the trigger"
				>
					<button type="submit" class="button button-danger">
						Delete trigger
					</button>
				</PostForm>
			</section>
		</AdminPage>
	);
}

function Deliveries({
	href,
	deliveries,
	status,
	olderHref,
	csrfToken,
}: {
	href: string;
	deliveries: DeliveryRow[];
	status: string | undefined;
	olderHref: string | null;
	csrfToken: string;
}) {
	return (
		<section class="card" aria-labelledby="deliveries-title">
			<h2 id="deliveries-title">Deliveries</h2>
			<form method="get" action={href} class="filters" aria-label="Filter deliveries">
				<SelectField
					id="status"
					name="status"
					label="Show"
					value={status ?? ""}
					blank="All deliveries"
					choices={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))}
				/>
				<div class="filter-actions">
					<button type="submit" class="button button-secondary">
						Show
					</button>
				</div>
			</form>
			{deliveries.length === 0 ? (
				<EmptyState title="No deliveries" />
			) : (
				<div class="table-scroll" tabindex={0}>
					<table class="table">
						<caption class="visually-hidden">Deliveries, newest first</caption>
						<TableHead columns={["Received", "Delivery id", "Outcome", "Why", "Process"]} actions />
						<tbody>
							{deliveries.map((d) => (
								<tr>
									<td>
										<a href={deliveryHref(d.id)}>
											<At at={d.receivedAt} />
										</a>
										{d.replayOf ? <span class="muted"> (replay)</span> : null}
									</td>
									<td>
										<code>{d.deliveryId ?? "—"}</code>
									</td>
									<td>{`${STATUS_LABELS[d.status]} (${d.httpStatus})`}</td>
									<td>{d.reason ?? ""}</td>
									<td>
										{d.processId ? (
											<a href={`/processes/${encodeURIComponent(d.processId)}`}>
												<code>{d.processId}</code>
											</a>
										) : null}
									</td>
									<td class="cell-actions">
										{d.replayable ? (
											<PostForm
												action={`${deliveryHref(d.id)}/replay`}
												csrfToken={csrfToken}
												label={`Replay delivery ${d.deliveryId ?? d.id}`}
											>
												<button type="submit" class="button button-small">
													Replay
												</button>
											</PostForm>
										) : null}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{olderHref ? (
				<p>
					<a href={olderHref}>Older deliveries</a>
				</p>
			) : null}
			<p class="muted">
				Replay sends a refused delivery through today's settings, checked as of when it arrived: fix
				the cause (a secret, the mapping, the workflow), then replay.
			</p>
		</section>
	);
}

function Settings({
	chrome,
	trigger,
	workflows,
	form,
}: {
	chrome: Chrome;
	trigger: TriggerDetail;
	workflows: { key: string; name: string }[];
	form: FormState;
}) {
	const v = form.values;
	const e = form.errors;
	const errors = linkedErrors(e, "edit-");
	const bind = fieldBinder(v, e, "edit-");
	return (
		<section class="card" aria-labelledby="settings-title">
			<h2 id="settings-title">Settings</h2>
			<ErrorSummary errors={errors} />
			<PostForm action={triggerHref(trigger.key)} csrfToken={chrome.csrfToken} label="Settings">
				<TextField id="edit-name" name="name" label="Name" value={v.name} error={e.name} required />
				<SelectField
					{...bind("workflowKey")}
					label="Workflow"
					choices={workflows.map((w) => ({ value: w.key, label: `${w.name} (${w.key})` }))}
				/>
				<TextAreaField {...bind("mapping")} label="Payload mapping (JSON)" code rows={6} />
				{trigger.kind === "start" ? (
					<TextField
						{...bind("priority")}
						label="Priority of started processes (0–9, optional)"
						type="number"
						min={0}
						max={9}
					/>
				) : null}
				<TextField
					{...bind("rateLimitPerMinute")}
					label="Deliveries per minute"
					type="number"
					min={1}
					max={10000}
				/>
				{trigger.jwt ? (
					<>
						<TextField {...bind("jwtAudience")} label="JWT audience" />
						<TextField {...bind("jwtIssuer")} label="JWT issuer (optional)" />
					</>
				) : null}
				<CheckboxField
					id="edit-enabled"
					name="enabled"
					label="Enabled"
					checked={v.enabled === "true"}
				/>
				<FormActions label="Save settings" button="button button-primary" />
			</PostForm>
		</section>
	);
}

function Secrets({ chrome, trigger }: { chrome: Chrome; trigger: TriggerDetail }) {
	const publicKeys = trigger.jwt !== null && trigger.jwt.algorithm !== "HS256";
	return (
		<section class="card" aria-labelledby="secrets-title">
			<h2 id="secrets-title">{publicKeys ? "Public keys" : "Secrets"}</h2>
			<table class="table">
				<caption class="visually-hidden">Secrets, newest first</caption>
				<TableHead columns={["Secret", "Created", "Valid until"]} />
				<tbody>
					{trigger.secrets.map((s) => (
						<tr>
							<td>
								<code>{s.hint}</code>
							</td>
							<td>
								<At at={s.createdAt} />
							</td>
							<td>
								{s.expiresAt === null ? "current" : <At at={s.expiresAt} />}
								{s.live ? "" : " (expired)"}
							</td>
						</tr>
					))}
				</tbody>
			</table>
			<h3 class="h-small">Rotate</h3>
			<p class="muted">
				The new secret becomes current; the previous one keeps working for the overlap, so the
				sender can switch without losing deliveries. Older ones stop at once.
			</p>
			<PostForm
				action={`${triggerHref(trigger.key)}/secrets`}
				csrfToken={chrome.csrfToken}
				label="Rotate the secret"
			>
				<SelectField
					id="rotate-overlap"
					name="overlapSeconds"
					label="Keep the previous one valid for"
					value="86400"
					choices={[
						{ value: "0", label: "No overlap: stop it now" },
						{ value: "3600", label: "1 hour" },
						{ value: "86400", label: "1 day" },
						{ value: "604800", label: "7 days" },
					]}
				/>
				<TextAreaField
					id="rotate-secret"
					name="secret"
					label={
						publicKeys ? "The sender's new JWKS" : "New secret (optional: empty to generate one)"
					}
					code
					rows={3}
				/>
				<FormActions label="Rotate" button="button" />
			</PostForm>
		</section>
	);
}
