// Working together on a task or a process: its comments (links and @mentions shown safely, an edit
// form for their author while the window is open), the form that adds one with files, the list of
// files, and the hand-over forms of a task. Every form posts plainly (303) and works without JS.

import type { CommentFormView, CommentView, FileView } from "../src/http/view-models/comments.ts";
import type { HandOverChoices } from "../src/processes/hand-over.ts";
import { CsrfField, When } from "./components.tsx";

export function CommentText({ comment }: { comment: CommentView }) {
	return (
		<p class="comment-text">
			{comment.pieces.map((p) =>
				p.kind === "link" ? (
					<a href={p.href} rel="noopener noreferrer nofollow ugc">
						{p.text}
					</a>
				) : p.kind === "mention" ? (
					<span class="mention" title={p.name}>
						{p.text}
					</span>
				) : (
					p.text
				),
			)}
		</p>
	);
}

export function CommentItem({ comment, csrfToken }: { comment: CommentView; csrfToken: string }) {
	return (
		<li class="comment" id={comment.id}>
			<p class="comment-head">
				<strong>{comment.isMine ? "You" : comment.authorName}</strong>
				{comment.task ? (
					<>
						{" on "}
						<a href={comment.task.href}>{comment.task.name}</a>
					</>
				) : null}
				{", "}
				<When at={comment.at} />
				{comment.edited ? <span class="muted"> (edited)</span> : null}
			</p>
			<CommentText comment={comment} />
			{comment.files.length > 0 ? (
				<ul class="file-list" aria-label="Attached files">
					{comment.files.map((f) => (
						<li>
							<FileLink file={f} />
						</li>
					))}
				</ul>
			) : null}
			{comment.canEdit ? (
				<details class="comment-edit">
					<summary>Edit</summary>
					<form method="post" action={comment.editAction} class="form">
						<CsrfField token={csrfToken} />
						<label for={`${comment.id}-body`}>Edit your comment</label>
						<textarea id={`${comment.id}-body`} name="body" rows={3} maxlength={5000} required>
							{comment.body}
						</textarea>
						<button type="submit">Save the comment</button>
					</form>
				</details>
			) : null}
		</li>
	);
}

export function FileLink({ file }: { file: FileView }) {
	return (
		<>
			<a href={file.href} download={file.name}>
				{file.name}
			</a>{" "}
			<span class="muted">{file.size}</span>
		</>
	);
}

/** The comments of a task or process, and the form to add one. */
export function Comments({
	comments,
	form,
	csrfToken,
	titleId,
	heading = "Comments",
}: {
	comments: CommentView[];
	form?: CommentFormView;
	csrfToken: string;
	titleId: string;
	heading?: string;
}) {
	return (
		<section class="card comments" aria-labelledby={titleId} id="comments">
			<h2 id={titleId}>
				{heading} <span class="count">{comments.length}</span>
			</h2>
			{comments.length === 0 ? (
				<p class="muted">No comments yet.</p>
			) : (
				<ol class="comment-list">
					{comments.map((c) => (
						<CommentItem comment={c} csrfToken={csrfToken} />
					))}
				</ol>
			)}
			{form ? <CommentForm form={form} csrfToken={csrfToken} /> : null}
		</section>
	);
}

export function CommentForm({ form, csrfToken }: { form: CommentFormView; csrfToken: string }) {
	return (
		<form
			method="post"
			action={form.action}
			enctype="multipart/form-data"
			class="form comment-form"
			aria-label="Add a comment"
		>
			<CsrfField token={csrfToken} />
			{form.error ? (
				<div class="alert alert-error" role="alert" id="comment-error" tabindex={-1} data-focus>
					{form.error}
				</div>
			) : null}
			<label for="comment-body">Your comment</label>
			<p class="help" id="comment-body-help">
				Plain text; links become clickable.
				{form.mentionable.length > 0
					? ` Mention someone with ${form.mentionable
							.slice(0, 4)
							.map((m) => `${m.handle} (${m.name})`)
							.join(", ")}${form.mentionable.length > 4 ? ", …" : ""}.`
					: ""}
			</p>
			<textarea
				id="comment-body"
				name="body"
				rows={3}
				maxlength={5000}
				aria-describedby="comment-body-help"
			>
				{form.typed}
			</textarea>
			<label for="comment-files">Attach files (optional)</label>
			<p class="help" id="comment-files-help">
				{`Up to ${form.maxSize} each: PDF, images, text, office documents, ZIP.`}
			</p>
			<input
				id="comment-files"
				type="file"
				name="files"
				multiple
				accept={form.accept}
				aria-describedby="comment-files-help"
			/>
			<div class="form-actions">
				<button type="submit" class="button-primary">
					Post the comment
				</button>
			</div>
		</form>
	);
}

/** The files of a process, on its page. */
export function FileTable({ files, titleId }: { files: FileView[]; titleId: string }) {
	return (
		<section class="card" aria-labelledby={titleId}>
			<h2 id={titleId}>
				Files <span class="count">{files.length}</span>
			</h2>
			{files.length === 0 ? (
				<p class="muted">No files attached.</p>
			) : (
				<ul class="file-list file-table">
					{files.map((f) => (
						<li>
							<FileLink file={f} />
							<span class="muted block">
								{f.taskHref ? <a href={f.taskHref}>{f.where}</a> : f.where}
								{`, by ${f.byName}, `}
								<When at={f.at} />
							</span>
						</li>
					))}
				</ul>
			)}
		</section>
	);
}

/** H2–H4: the hand-over forms the viewer may use on a task. */
export function HandOver({
	href,
	choices,
	csrfToken,
}: {
	href: string;
	choices: HandOverChoices;
	csrfToken: string;
}) {
	const { canUnclaim, delegateTo, reassignTo } = choices;
	if (!canUnclaim && delegateTo.length === 0 && reassignTo === null) return null;
	return (
		<section class="card hand-over" aria-labelledby="hand-over-title">
			<h2 id="hand-over-title" class="h-small">
				Hand this task on
			</h2>
			{canUnclaim ? (
				<form method="post" action={`${href}/unclaim`} class="inline-form">
					<CsrfField token={csrfToken} />
					<button type="submit">Give back to the role</button>
				</form>
			) : null}
			{delegateTo.length > 0 ? (
				<form method="post" action={`${href}/delegate`} class="inline-form">
					<CsrfField token={csrfToken} />
					<label for="delegate-to">Delegate to</label>
					<select id="delegate-to" name="to" required>
						{delegateTo.map((p) => (
							<option value={p.id}>{p.name}</option>
						))}
					</select>
					<label for="delegate-note">Note (optional)</label>
					<input id="delegate-note" name="note" maxlength={500} />
					<button type="submit">Delegate</button>
				</form>
			) : null}
			{reassignTo !== null ? (
				<form method="post" action={`${href}/reassign`} class="inline-form">
					<CsrfField token={csrfToken} />
					<label for="reassign-to">Reassign to</label>
					<select id="reassign-to" name="to">
						<option value="">Nobody: back to the role's queue</option>
						{reassignTo.map((p) => (
							<option value={p.id}>{p.name}</option>
						))}
					</select>
					<label for="reassign-note">Note (optional)</label>
					<input id="reassign-note" name="note" maxlength={500} />
					<button type="submit">Reassign</button>
				</form>
			) : null}
		</section>
	);
}
