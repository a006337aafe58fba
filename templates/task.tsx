// The task page: what the task is, in which process, why it waits, and the form generated from its
// task type. The form posts plainly (303 to the next task) and, with htmx, re-renders itself with
// the errors next to the fields (422) while keeping everything typed.
import type { Chrome } from "../src/http/view-models/page-context.ts";
import type { TaskFormView, TaskPageView } from "../src/http/view-models/task-page.ts";
import { Comments, FileLink, HandOver } from "./comments.tsx";
import {
	Badge,
	CsrfField,
	conditionalCss,
	Field,
	FormActions,
	NoticeFor,
	OnceForm,
	OverdueBadge,
	Progress,
	When,
	Words,
} from "./components.tsx";
import { Layout } from "./layout.tsx";

export function TaskPage({
	chrome,
	view,
	notice,
}: {
	chrome: Chrome;
	view: TaskPageView;
	notice?: string;
}) {
	const title = view.form?.hasErrors ? `Error: ${view.nodeName}` : view.nodeName;
	return (
		<Layout title={title} csrfToken={chrome.csrfToken} user={chrome.user} current="inbox">
			<nav class="breadcrumb" aria-label="Breadcrumb">
				<a href="/inbox">Inbox</a>
				<span aria-hidden="true"> › </span>
				<a href={view.process.href}>{view.process.label}</a>
			</nav>
			<div class="page-head">
				<h1>{view.nodeName}</h1>
				<p class="page-lead">
					<Badge status={view.status} />{" "}
					{view.due?.isPast ? (
						<>
							<OverdueBadge />{" "}
						</>
					) : null}
					{view.taskTypeTitle ? <span class="muted">{view.taskTypeTitle}</span> : null}
				</p>
			</div>
			<NoticeFor code={notice} />
			<div class="task-layout">
				<div class="task-main">
					{view.description ? <p class="task-description">{view.description}</p> : null}
					{view.incident ? (
						<div class="alert alert-error" role="alert">
							<strong>Incident:</strong> {view.incident}
						</div>
					) : null}
					{view.awaitingInput && view.missing.length > 0 ? (
						<div class="why-waiting">
							<h2 class="h-small">Why it waits</h2>
							<p>
								The task cannot go on without:{" "}
								{view.missing.map((label, i) => (
									<>
										{i > 0 ? ", " : ""}
										<strong>{label}</strong>
									</>
								))}
								.
							</p>
						</div>
					) : null}
					{view.raced ? <RacedNotice view={view} /> : null}
					{view.form ? (
						<TaskForm form={view.form} csrfToken={chrome.csrfToken} nodeName={view.nodeName} />
					) : (
						<TaskState view={view} csrfToken={chrome.csrfToken} />
					)}
					{view.handOver ? (
						<HandOver href={view.href} choices={view.handOver} csrfToken={chrome.csrfToken} />
					) : null}
					<Comments
						comments={view.comments}
						form={view.commentForm}
						csrfToken={chrome.csrfToken}
						titleId="comments-title"
					/>
				</div>
				<aside class="task-aside" aria-labelledby="task-facts-title">
					<h2 id="task-facts-title" class="h-small">
						About this task
					</h2>
					<dl class="facts">
						<dt>Process</dt>
						<dd>
							<a href={view.process.href}>{view.process.label}</a>{" "}
							<Badge status={view.process.status} />
						</dd>
						<dt>Workflow</dt>
						<dd>{`${view.process.workflowName} (version ${view.process.version})`}</dd>
						{view.roleName ? (
							<>
								<dt>Role</dt>
								<dd>{view.roleName}</dd>
							</>
						) : null}
						{!view.external || view.roleName ? (
							<>
								<dt>Assigned to</dt>
								<dd>{view.isMine ? "You" : view.assigneeName}</dd>
							</>
						) : null}
						{view.external?.lockedBy || view.external?.waitsForWorker ? (
							<>
								<dt>Worker</dt>
								<dd>
									{view.external.lockedBy ?? (
										<span class="muted">{`waiting for a ${view.external.taskType} worker`}</span>
									)}
									{view.external.lock ? (
										<span class="muted block">
											<Words date={view.external.lock} />
										</span>
									) : null}
								</dd>
							</>
						) : null}
						<dt>Priority</dt>
						<dd>{view.priority}</dd>
						{view.due ? (
							<>
								<dt>Due</dt>
								<dd class={view.due.isPast ? "text-danger" : undefined}>
									<Words date={view.due} />
								</dd>
							</>
						) : null}
						{view.followUp ? (
							<>
								<dt>Follow up</dt>
								<dd>
									<Words date={view.followUp} />
								</dd>
							</>
						) : null}
						<dt>Created</dt>
						<dd>
							<When at={view.created} exact />
						</dd>
						{view.started ? (
							<>
								<dt>Started</dt>
								<dd>
									<When at={view.started} exact />
								</dd>
							</>
						) : null}
						{view.ended ? (
							<>
								<dt>Ended</dt>
								<dd>
									<When at={view.ended} exact />
								</dd>
							</>
						) : null}
						{view.maxAttempts > 1 ? (
							<>
								<dt>Attempt</dt>
								<dd>{`${view.attempt} of ${view.maxAttempts}`}</dd>
							</>
						) : null}
						{view.files.length > 0 ? (
							<>
								<dt>Files</dt>
								<dd>
									<ul class="file-list">
										{view.files.map((f) => (
											<li>
												<FileLink file={f} />
											</li>
										))}
									</ul>
								</dd>
							</>
						) : null}
						{view.status.tone === "info" || view.progress > 0 ? (
							<>
								<dt>Progress</dt>
								<dd>
									<Progress value={view.progress} label="Progress of this task" />
								</dd>
							</>
						) : null}
					</dl>
				</aside>
			</div>
		</Layout>
	);
}

/** The generated form; the fragment a 422 re-renders (with the errors and what was typed). */
export function TaskForm({
	form,
	csrfToken,
	nodeName,
}: {
	form: TaskFormView;
	csrfToken: string;
	nodeName: string;
}) {
	const summary = [
		...form.fields
			.filter((f) => f.error)
			.map((f) => ({ href: `#${f.id}`, message: f.error as string })),
		...form.otherErrors.map((message) => ({ message })),
	];
	const others = new Map(form.fields.map((f) => [f.name, f]));
	const css = conditionalCss("task-form", form.fields);
	return (
		<OnceForm
			multipart={form.fields.some((f) => f.kind === "file")}
			id="task-form"
			class="form task-form"
			action={form.action}
			label={`Fill in ${nodeName}`}
			nonce={form.nonce}
			csrfToken={csrfToken}
			errors={summary}
		>
			{form.shown.map((text, i) =>
				i === 0 ? (
					<p class="task-question">
						<strong>{text}</strong>
					</p>
				) : (
					<p class="task-details">{text}</p>
				),
			)}
			{form.given.length > 0 ? (
				<div class="task-given">
					<h2 class="h-small">Already set</h2>
					<dl class="facts">
						{form.given.map((g) => (
							<>
								<dt>{g.key}</dt>
								<dd>{g.value.includes("\n") ? <pre class="json">{g.value}</pre> : g.value}</dd>
							</>
						))}
					</dl>
				</div>
			) : null}
			{form.fields.length === 0 ? <p>There is nothing to fill in; submit to go on.</p> : null}
			{/* Generated from field ids and escaped option values (conditionalCss): no markup inside. */}
			{css ? <style dangerouslySetInnerHTML={{ __html: css }} /> : null}
			{form.fields.map((field) => (
				<Field field={field} others={others} />
			))}
			<FormActions label="Submit" link={{ href: "/inbox", label: "Back to the inbox" }} />
		</OnceForm>
	);
}

/**
 * A submit that lost a race: what happened, in words, and what the person had typed, so nothing
 * they wrote is lost. With htmx it replaces the form (same id).
 */
export function RacedNotice({ view }: { view: TaskPageView }) {
	if (!view.raced) return null;
	return (
		<div id="task-form" class="alert alert-info" role="alert">
			<p>
				<strong>{view.raced.message}</strong> Your values were not saved.
			</p>
			{view.raced.typed.length > 0 ? (
				<>
					<p>What you had typed, to copy if you need it:</p>
					<dl class="facts">
						{view.raced.typed.map((t) => (
							<>
								<dt>{t.key}</dt>
								<dd>{t.value.includes("\n") ? <pre class="json">{t.value}</pre> : t.value}</dd>
							</>
						))}
					</dl>
				</>
			) : null}
		</div>
	);
}

function TaskState({ view, csrfToken }: { view: TaskPageView; csrfToken: string }) {
	return (
		<div class="task-state">
			{view.note ? <p class="note">{view.note}</p> : null}
			{view.canClaim || view.canRetry || view.canRevoke ? (
				<div class="actions">
					{view.canClaim ? (
						<form method="post" action={`${view.href}/claim`} class="inline">
							<CsrfField token={csrfToken} />
							<button type="submit" class="button-primary">
								Claim this task
							</button>
						</form>
					) : null}
					{view.canRetry ? (
						<form method="post" action={`${view.href}/retry`} class="inline">
							<CsrfField token={csrfToken} />
							<input type="hidden" name="back" value={view.href} />
							<button type="submit">Retry</button>
						</form>
					) : null}
					{view.canRevoke ? (
						<form
							method="post"
							action={`${view.href}/revoke`}
							class="inline"
							hx-post={`${view.href}/revoke`}
							hx-confirm="Revoke this task? It will not run again."
						>
							<CsrfField token={csrfToken} />
							<input type="hidden" name="back" value={view.href} />
							<button type="submit" class="button-danger">
								Revoke
							</button>
						</form>
					) : null}
				</div>
			) : null}
			{view.error ? (
				<div class="alert alert-error">
					<strong>Error:</strong> {view.error}
				</div>
			) : null}
			{view.submitted ? (
				<section aria-labelledby="submitted-title">
					<h2 id="submitted-title" class="h-small">
						Submitted by {view.submitted.byName}, <When at={view.submitted.at} />
					</h2>
					{view.submitted.values.length > 0 ? (
						<dl class="facts">
							{view.submitted.values.map((p) => (
								<>
									<dt>{p.key}</dt>
									<dd>
										{p.href ? (
											<a href={p.href} download={p.value}>
												{p.value}
											</a>
										) : (
											p.value
										)}
									</dd>
								</>
							))}
						</dl>
					) : null}
				</section>
			) : null}
			{view.result !== undefined ? (
				<section aria-labelledby="result-title">
					<h2 id="result-title" class="h-small">
						Result
					</h2>
					<pre class="json">{view.result}</pre>
				</section>
			) : null}
		</div>
	);
}
