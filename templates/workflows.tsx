// The workflows a person may start, with their scheduled starts, and the start form of one: a name,
// a priority, the workflow's params, and a picture of what will run. Posting starts the process and
// opens its page.

import type { DiagramView } from "../src/diagram/view.ts";
import type { Chrome } from "../src/http/view-models/page-context.ts";
import type {
	ScheduledWorkflowCardView,
	ScheduleSlotView,
	ScheduleView,
	SlotTimeView,
} from "../src/http/view-models/schedules.ts";
import type { StartFormView } from "../src/http/view-models/workflows.ts";
import { EmptyState, Field, FormActions, linkedErrors, OnceForm } from "./components.tsx";
import { Diagram } from "./diagram.tsx";
import { Layout } from "./layout.tsx";

export function WorkflowsPage({
	chrome,
	workflows,
}: {
	chrome: Chrome;
	workflows: ScheduledWorkflowCardView[];
}) {
	const startable = workflows.filter((w) => w.canStart);
	const others = workflows.filter((w) => !w.canStart);
	return (
		<Layout title="Workflows" csrfToken={chrome.csrfToken} user={chrome.user} current="workflows">
			<div class="page-head">
				<h1>Workflows</h1>
				<p class="page-lead">Start a process from a published workflow.</p>
			</div>
			{workflows.length === 0 ? (
				<EmptyState title="No workflow is published yet.">
					<p>An administrator publishes workflows; they appear here.</p>
				</EmptyState>
			) : null}
			{startable.length > 0 ? (
				<section aria-labelledby="startable-title">
					<h2 id="startable-title">You can start</h2>
					<ul class="card-grid">
						{startable.map((w) => (
							<WorkflowCard workflow={w} />
						))}
					</ul>
				</section>
			) : workflows.length > 0 ? (
				<EmptyState title="You may not start any workflow.">
					<p>Ask an administrator for the right to start the workflows you need.</p>
				</EmptyState>
			) : null}
			{others.length > 0 ? (
				<section aria-labelledby="others-title">
					<h2 id="others-title">Other workflows</h2>
					<ul class="card-grid">
						{others.map((w) => (
							<WorkflowCard workflow={w} />
						))}
					</ul>
				</section>
			) : null}
		</Layout>
	);
}

function WorkflowCard({ workflow: w }: { workflow: ScheduledWorkflowCardView }) {
	const titleId = `workflow-${w.key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
	return (
		<li class="card workflow-card" aria-labelledby={titleId}>
			<h3 id={titleId}>{w.name}</h3>
			{w.description ? <p>{w.description}</p> : null}
			<p class="muted">
				{`Version ${w.version} · ${w.stepCount} step${w.stepCount === 1 ? "" : "s"}`}
				{w.roles.length > 0 ? ` · ${w.roles.join(", ")}` : ""}
			</p>
			{w.schedules.length > 0 ? <Schedules schedules={w.schedules} titleId={titleId} /> : null}
			{w.canStart ? (
				<a class="button button-primary" href={w.startHref} aria-label={`Start ${w.name}`}>
					Start
				</a>
			) : (
				<p class="muted small">You may not start this workflow.</p>
			)}
		</li>
	);
}

/** Q1–Q2: when the workflow starts by itself, and what became of its latest slots. */
function Schedules({ schedules, titleId }: { schedules: ScheduleView[]; titleId: string }) {
	const headingId = `${titleId}-schedules`;
	return (
		<section aria-labelledby={headingId}>
			<h4 id={headingId} class="h-small">
				Scheduled starts
			</h4>
			<ul class="small">
				{schedules.map((s) => (
					<li>
						<strong>{s.label}</strong>
						<span class="muted">{` · ${s.rule}`}</span>
						{s.problem ? (
							<p class="text-danger">{`Cannot run: ${s.problem}`}</p>
						) : (
							<p>
								{"Next start: "}
								{s.next ? <SlotTime at={s.next} /> : <span class="muted">none</span>}
							</p>
						)}
						{s.recent.length > 0 ? (
							<ul aria-label={`Latest slots of ${s.label}`}>
								{s.recent.map((slot) => (
									<SlotItem slot={slot} />
								))}
							</ul>
						) : null}
					</li>
				))}
			</ul>
		</section>
	);
}

function SlotItem({ slot }: { slot: ScheduleSlotView }) {
	return (
		<li>
			{`${slot.summary}: `}
			{slot.from ? (
				<>
					<SlotTime at={slot.from} />
					{" to "}
				</>
			) : null}
			<SlotTime at={slot.at} />
			{slot.processHref ? (
				<>
					{" · "}
					<a href={slot.processHref}>its process</a>
				</>
			) : null}
			{slot.reason ? <span class="text-danger">{` · ${slot.reason}`}</span> : null}
		</li>
	);
}

/** An instant in the schedule's own zone, with UTC next to it when that zone is another. */
function SlotTime({ at }: { at: SlotTimeView }) {
	return (
		<>
			<time datetime={at.iso} data-local="">
				{at.local}
			</time>
			{at.utc ? <span class="muted">{` (${at.utc})`}</span> : null}
		</>
	);
}

export function StartPage({
	chrome,
	form,
	diagram,
}: {
	chrome: Chrome;
	form: StartFormView;
	diagram: DiagramView;
}) {
	return (
		<Layout
			title={form.hasErrors ? `Error: Start ${form.name}` : `Start ${form.name}`}
			csrfToken={chrome.csrfToken}
			user={chrome.user}
			current="workflows"
		>
			<nav class="breadcrumb" aria-label="Breadcrumb">
				<a href="/workflows">Workflows</a>
			</nav>
			<div class="page-head">
				<h1>{`Start “${form.name}”`}</h1>
				{form.description ? <p class="page-lead">{form.description}</p> : null}
			</div>
			<div class="start-layout">
				<StartForm form={form} csrfToken={chrome.csrfToken} />
				<section class="card" aria-labelledby="start-diagram-title">
					<h2 id="start-diagram-title" class="h-small">
						{`What will run (version ${form.version})`}
					</h2>
					<Diagram view={diagram} id="start-diagram" />
				</section>
			</div>
		</Layout>
	);
}

/** The start form; the fragment a 422 re-renders with the errors and what was typed. */
export function StartForm({ form, csrfToken }: { form: StartFormView; csrfToken: string }) {
	const summary = linkedErrors(form.errors, (name) =>
		name === "name" || name === "priority" ? `start-${name}` : `param-${name}`,
	);
	const priorities = Array.from({ length: 10 }, (_, p) => p);
	return (
		<OnceForm
			id="start-form"
			class="form card"
			action={form.action}
			label={`Start ${form.name}`}
			nonce={form.nonce}
			csrfToken={csrfToken}
			errors={summary}
		>
			<div class={`field${form.errors.name ? " has-error" : ""}`}>
				<label for="start-name">
					Name <span class="field-optional">(optional)</span>
				</label>
				<p id="start-name-help" class="field-help">
					A name people recognise, like “DjangoCon 2027”.
				</p>
				{form.errors.name ? (
					<p id="start-name-error" class="field-error">
						{form.errors.name}
					</p>
				) : null}
				<input
					id="start-name"
					name="name"
					type="text"
					maxlength={120}
					value={form.processName}
					autocomplete="off"
					aria-describedby={
						form.errors.name ? "start-name-help start-name-error" : "start-name-help"
					}
					aria-invalid={form.errors.name ? "true" : undefined}
				/>
			</div>
			<div class={`field${form.errors.priority ? " has-error" : ""}`}>
				<label for="start-priority">Priority</label>
				{form.errors.priority ? (
					<p id="start-priority-error" class="field-error">
						{form.errors.priority}
					</p>
				) : null}
				<select
					id="start-priority"
					name="priority"
					aria-invalid={form.errors.priority ? "true" : undefined}
				>
					{priorities.map((p) => (
						<option value={String(p)} selected={p === form.priority}>
							{`${p}${p === 0 ? " (highest)" : p === 9 ? " (lowest)" : ""}${p === form.defaultPriority ? " · default" : ""}`}
						</option>
					))}
				</select>
			</div>
			{form.fields.length > 0 ? (
				<fieldset>
					<legend>Params</legend>
					{form.fields.map((f) => (
						<Field field={f} />
					))}
				</fieldset>
			) : null}
			<FormActions label="Start process" link={{ href: "/workflows", label: "Cancel" }} />
		</OnceForm>
	);
}
