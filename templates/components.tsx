// Small pieces the work pages share: status badges, progress bars, times, form controls, empty
// states and messages. Props in, HTML out; every text goes through hono/jsx's escaping.
import type { Child } from "hono/jsx";
import type { Moment, StatusBadge } from "../src/http/view-models/format.ts";
import { noticeText } from "../src/http/view-models/notices.ts";
import type { FieldView } from "../src/http/view-models/task-form.ts";

export function Badge({ status, class: extra }: { status: StatusBadge; class?: string }) {
	return <span class={`badge tone-${status.tone}${extra ? ` ${extra}` : ""}`}>{status.label}</span>;
}

/** A labelled progress bar; `label` names what progresses (for screen readers). */
export function Progress({ value, label }: { value: number; label: string }) {
	const v = Math.max(0, Math.min(100, Math.round(value)));
	return (
		<span class="progress">
			<progress max={100} value={v} aria-label={label}>{`${v}%`}</progress>
			<span class="progress-value" aria-hidden="true">{`${v}%`}</span>
		</span>
	);
}

/** A moment: relative words, with the exact UTC time in `datetime` and the tooltip. */
export function When({ at, exact }: { at: Moment; exact?: boolean }) {
	return (
		<time datetime={at.iso} title={at.text} data-local="">
			{exact ? at.text : at.ago}
		</time>
	);
}

export function CsrfField({ token }: { token: string }) {
	return <input type="hidden" name="_csrf" value={token} />;
}

export function EmptyState({ title, children }: { title: string; children?: Child }) {
	return (
		<div class="empty-state">
			<p class="empty-title">{title}</p>
			{children ? <div class="empty-body">{children}</div> : null}
		</div>
	);
}

export function Notice({
	tone,
	children,
}: {
	tone: "success" | "info" | "error";
	children?: Child;
}) {
	return (
		<div class={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
			{children}
		</div>
	);
}

/**
 * A form's field errors as ErrorSummary entries, each linking to its field: `#<prefix><field>`, or
 * `#<anchor(field)>` where field names and ids differ.
 */
export function linkedErrors(
	errors: Record<string, string>,
	anchor: string | ((field: string) => string),
): { href: string; message: string }[] {
	return Object.entries(errors).map(([field, message]) => ({
		href: `#${typeof anchor === "string" ? `${anchor}${field}` : anchor(field)}`,
		message,
	}));
}

/** The summary of a form's errors, each linking to its field; focused when it appears. */
export function ErrorSummary({ errors }: { errors: { href?: string; message: string }[] }) {
	if (errors.length === 0) return null;
	return (
		<div class="error-summary" id="form-errors" role="alert" tabindex={-1} autofocus data-focus="">
			<h2 class="error-summary-title">There is a problem</h2>
			<ul>
				{errors.map((e) => (
					<li>{e.href ? <a href={e.href}>{e.message}</a> : e.message}</li>
				))}
			</ul>
		</div>
	);
}

/** One generated form control with its label, help, "needed" mark and error, wired for AT. */
export function Field({ field }: { field: FieldView }) {
	const helpId = field.help ? `${field.id}-help` : undefined;
	const errorId = field.error ? `${field.id}-error` : undefined;
	const describedBy = [helpId, errorId].filter(Boolean).join(" ") || undefined;
	const invalid = field.error ? "true" : undefined;
	const common = {
		id: field.id,
		name: field.name,
		"aria-invalid": invalid,
		"aria-describedby": describedBy,
		"aria-required": field.required ? "true" : undefined,
	};
	const help = field.help ? (
		<p id={helpId} class="field-help">
			{field.help}
		</p>
	) : null;
	const error = field.error ? (
		<p id={errorId} class="field-error">
			<span class="visually-hidden">Error: </span>
			{field.error}
		</p>
	) : null;
	const marks = (
		<>
			{field.required ? <span class="field-required"> (required)</span> : null}
			{field.isMissing && !field.required ? (
				<span class="badge tone-waiting field-needed">needed</span>
			) : null}
		</>
	);
	if (field.kind === "checkbox") {
		return (
			<div class={`field field-checkbox${field.error ? " has-error" : ""}`}>
				{error}
				<div class="checkbox">
					<input {...common} type="checkbox" value="true" checked={field.checked} />
					<label for={field.id}>
						{field.label}
						{marks}
					</label>
				</div>
				{help}
			</div>
		);
	}
	let control: Child;
	switch (field.kind) {
		case "longtext":
			control = (
				<textarea {...common} rows={4} maxlength={field.max}>
					{field.value}
				</textarea>
			);
			break;
		case "json":
			control = (
				<textarea {...common} rows={4} class="code" spellcheck={false}>
					{field.value}
				</textarea>
			);
			break;
		case "number":
		case "integer":
			control = (
				<input
					{...common}
					type="number"
					inputmode={field.kind === "integer" ? "numeric" : "decimal"}
					step={field.kind === "integer" ? "1" : "any"}
					min={field.min}
					max={field.max}
					value={field.value}
					class="input-number"
				/>
			);
			break;
		case "date":
			control = <input {...common} type="date" value={field.value} class="input-date" />;
			break;
		case "select":
			control = (
				<select {...common}>
					<option value="">Choose…</option>
					{(field.options ?? []).map((o) => (
						<option value={o.value} selected={o.value === field.value}>
							{o.label}
						</option>
					))}
				</select>
			);
			break;
		default:
			control = (
				<input
					{...common}
					type="text"
					value={field.value}
					maxlength={field.max}
					autocomplete="off"
				/>
			);
	}
	return (
		<div class={`field${field.error ? " has-error" : ""}`}>
			<label for={field.id}>
				{field.label}
				{marks}
			</label>
			{help}
			{error}
			{control}
		</div>
	);
}

/**
 * The filter bar of a list page: a GET form that works without JavaScript and, with htmx, redraws
 * the results region as the reader types, keeping the filters in the address. A search box first,
 * then the page's own filters (`children`), then Apply and Clear.
 */
export function FilterBar({
	id,
	action,
	label,
	resultsId,
	search,
	isFiltered,
	children,
}: {
	id: string;
	action: string;
	label: string;
	resultsId: string;
	search: { id: string; value?: string; placeholder: string };
	isFiltered: boolean;
	children?: Child;
}) {
	return (
		<search>
			<form
				id={id}
				class="filters"
				method="get"
				action={action}
				aria-label={label}
				hx-get={action}
				hx-target={`#${resultsId}`}
				hx-swap="innerMorph"
				hx-trigger="submit, input delay:350ms, change"
				hx-push-url="true"
			>
				<div class="filter filter-search">
					<label for={search.id}>Search</label>
					<input
						id={search.id}
						name="q"
						type="search"
						value={search.value ?? ""}
						placeholder={search.placeholder}
						autocomplete="off"
						maxlength={100}
					/>
				</div>
				{children}
				<div class="filter-actions">
					<button type="submit" class="button-secondary">
						Apply
					</button>
					{isFiltered ? <a href={action}>Clear filters</a> : null}
				</div>
			</form>
		</search>
	);
}

/** A filter <select> with an "any" choice first. */
export function FilterSelect({
	id,
	name,
	label,
	anyLabel,
	value,
	choices,
}: {
	id: string;
	name: string;
	label: string;
	anyLabel: string;
	value?: string;
	choices: { value: string; label: string }[];
}) {
	return (
		<div class="filter">
			<label for={id}>{label}</label>
			<select id={id} name={name}>
				<option value="">{anyLabel}</option>
				{choices.map((c) => (
					<option value={c.value} selected={c.value === value}>
						{c.label}
					</option>
				))}
			</select>
		</div>
	);
}

/** A message after a redirect, chosen by a fixed code (never text from the URL). */
export function NoticeFor({ code, extra }: { code?: string | undefined; extra?: string }) {
	const text = noticeText("work", code);
	if (!text) return null;
	return (
		<Notice tone="success">
			{text}
			{extra ? ` ${extra}` : ""}
		</Notice>
	);
}
