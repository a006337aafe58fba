// Small pieces every page shares, work and admin: status badges, progress bars, times, form
// controls (each labelled, with its help and error tied to it for screen readers), empty states and
// messages. Props in, HTML out; every text goes through hono/jsx's escaping.
import type { Child } from "hono/jsx";
import { exactMoment, type Moment, type StatusBadge } from "../src/http/view-models/format.ts";
import { noticeTextIn } from "../src/http/view-models/notices.ts";
import type { FieldView } from "../src/http/view-models/task-form.ts";
import type { DateWords } from "../src/http/view-models/time-words.ts";

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

/** A date in relative words ("due in 3 h"), the exact date in `datetime` and the tooltip. */
export function Words({ date }: { date: DateWords }) {
	return (
		<time datetime={date.iso} title={date.text} data-local="">
			{date.words}
		</time>
	);
}

/** H1: an overdue task's marker, in words: a colour alone says nothing to many readers. */
export function OverdueBadge() {
	return (
		<span class="badge tone-danger badge-overdue">
			<span aria-hidden="true">⚠ </span>
			Overdue
		</span>
	);
}

/** A date as a short UTC text in a <time> element (a dash for none). */
export function At({ at }: { at: number | null | undefined }) {
	if (at === null || at === undefined) return <span class="muted">—</span>;
	const { iso, text } = exactMoment(at);
	return (
		<time datetime={iso} data-local="">
			{text}
		</time>
	);
}

/**
 * A form's actions row: its submit button (`button` is the button's class), and a `link` away from
 * the form (back, or cancel) when there is one.
 */
export function FormActions({
	label,
	button = "button-primary",
	link,
}: {
	label: Child;
	button?: string;
	link?: { href: string; label: string };
}) {
	return (
		<div class="form-actions">
			<button type="submit" class={button}>
				{label}
			</button>
			{link ? (
				<a href={link.href} class="button-link">
					{link.label}
				</a>
			) : null}
		</div>
	);
}

/**
 * A work form that is sent once: a POST with the CSRF token and the idempotency nonce of its
 * rendering, that htmx sends and replaces with the answer (the next page, or itself with errors).
 */
export function OnceForm({
	id,
	class: className,
	action,
	label,
	nonce,
	csrfToken,
	errors,
	multipart,
	children,
}: {
	id: string;
	class: string;
	action: string;
	label: string;
	nonce: string;
	csrfToken: string;
	errors: { href?: string; message: string }[];
	/** The form carries files. */
	multipart?: boolean;
	children?: Child;
}) {
	return (
		<form
			id={id}
			class={className}
			method="post"
			action={action}
			enctype={multipart ? "multipart/form-data" : undefined}
			novalidate
			aria-label={label}
			hx-post={action}
			hx-target="this"
			hx-swap="outerHTML"
			hx-disable="find button[type=submit]"
		>
			<ErrorSummary errors={errors} />
			<CsrfField token={csrfToken} />
			<input type="hidden" name="_nonce" value={nonce} />
			{children}
		</form>
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

/** A column of a TableHead: its header, or `{ label, num: true }` for a right-aligned number. */
export type Column = string | { label: string; num: true };

/**
 * A table's header row, a `<th scope="col">` per column, and with `actions` a last column for the
 * row's buttons whose header only screen readers read.
 */
export function TableHead({ columns, actions }: { columns: Column[]; actions?: boolean }) {
	return (
		<thead>
			<tr>
				{columns.map((c) =>
					typeof c === "string" ? (
						<th scope="col">{c}</th>
					) : (
						<th scope="col" class="num">
							{c.label}
						</th>
					),
				)}
				{actions ? (
					<th scope="col">
						<span class="visually-hidden">Actions</span>
					</th>
				) : null}
			</tr>
		</thead>
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

/** The ids a control's `aria-describedby` names: its help, then its error. */
function describedBy(id: string, help?: string, error?: string): string | undefined {
	return (
		[help ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined
	);
}

/** The attributes that tie a control to its help and its error, for screen readers. */
function ariaOf(id: string, help?: string, error?: string) {
	return {
		"aria-invalid": error ? "true" : undefined,
		"aria-describedby": describedBy(id, help, error),
	};
}

function FieldHelp({ id, help }: { id: string; help?: string | undefined }) {
	return help ? (
		<p id={`${id}-help`} class="field-help">
			{help}
		</p>
	) : null;
}

function FieldError({ id, error }: { id: string; error?: string | undefined }) {
	return error ? (
		<p id={`${id}-error`} class="field-error">
			<span class="visually-hidden">Error: </span>
			{error}
		</p>
	) : null;
}

function HelpAndError({ id, help, error }: { id: string; help?: string; error?: string }) {
	return (
		<>
			<FieldHelp id={id} help={help} />
			<FieldError id={id} error={error} />
		</>
	);
}

/**
 * Ties a form's controls to its state: `bind("key")` gives a control its id (`<prefix>key`, the
 * anchor an ErrorSummary entry links to), its name, its value in `values` and its error.
 */
export function fieldBinder(values: object, errors: Record<string, string>, prefix: string) {
	const byName = values as Record<string, unknown>;
	return (name: string) => ({
		id: `${prefix}${name}`,
		name,
		value: byName[name] as string | undefined,
		error: errors[name],
	});
}

export interface ControlProps {
	id: string;
	name: string;
	label: string;
	value?: string;
	help?: string;
	error?: string;
	required?: boolean;
	placeholder?: string;
	/** Extra attributes (htmx, inputmode, autocomplete…). */
	attrs?: Record<string, string | number | boolean | undefined>;
}

export function TextField(
	props: ControlProps & {
		type?: string;
		list?: string;
		maxlength?: number;
		min?: number;
		max?: number;
	},
) {
	return (
		<div class={`field${props.error ? " has-error" : ""}`}>
			<label for={props.id}>
				{props.label}
				{props.required ? <span class="field-required"> (required)</span> : null}
			</label>
			<HelpAndError id={props.id} help={props.help} error={props.error} />
			<input
				id={props.id}
				name={props.name}
				type={props.type ?? "text"}
				value={props.value ?? ""}
				list={props.list}
				maxlength={props.maxlength}
				min={props.min}
				max={props.max}
				placeholder={props.placeholder}
				required={props.required}
				{...ariaOf(props.id, props.help, props.error)}
				autocomplete="off"
				{...(props.attrs ?? {})}
			/>
		</div>
	);
}

export function TextAreaField(props: ControlProps & { rows?: number; code?: boolean }) {
	return (
		<div class={`field${props.error ? " has-error" : ""}`}>
			<label for={props.id}>{props.label}</label>
			<HelpAndError id={props.id} help={props.help} error={props.error} />
			<textarea
				id={props.id}
				name={props.name}
				rows={props.rows ?? 4}
				class={props.code ? "code" : undefined}
				{...(props.code ? ({ spellcheck: "false" } as Record<string, string>) : {})}
				placeholder={props.placeholder}
				{...ariaOf(props.id, props.help, props.error)}
				{...(props.attrs ?? {})}
			>
				{props.value ?? ""}
			</textarea>
		</div>
	);
}

export function SelectField(
	props: ControlProps & { choices: { value: string; label: string }[]; blank?: string },
) {
	const known = props.choices.some((c) => c.value === props.value);
	return (
		<div class={`field${props.error ? " has-error" : ""}`}>
			<label for={props.id}>{props.label}</label>
			<HelpAndError id={props.id} help={props.help} error={props.error} />
			<select
				id={props.id}
				name={props.name}
				{...ariaOf(props.id, props.help, props.error)}
				{...(props.attrs ?? {})}
			>
				{props.blank !== undefined ? <option value="">{props.blank}</option> : null}
				{/* A value from an imported file that the list does not know is kept, not lost. */}
				{!known && props.value ? (
					<option value={props.value} selected>
						{`${props.value} (unknown)`}
					</option>
				) : null}
				{props.choices.map((c) => (
					<option value={c.value} selected={c.value === props.value}>
						{c.label}
					</option>
				))}
			</select>
		</div>
	);
}

export function CheckboxField({
	id,
	name,
	label,
	checked,
	help,
}: {
	id: string;
	name: string;
	label: string;
	checked: boolean;
	help?: string;
}) {
	return (
		<div class="field field-checkbox">
			<div class="checkbox">
				<input
					id={id}
					name={name}
					type="checkbox"
					value="true"
					checked={checked}
					aria-describedby={describedBy(id, help)}
				/>
				<label for={id}>{label}</label>
			</div>
			<FieldHelp id={id} help={help} />
		</div>
	);
}

/** A conditional field's hint: shown without CSS `:has` too, so the page reads right without it. */
function conditionHint(field: FieldView, others: Map<string, FieldView>): string | undefined {
	if (!field.showIf) return undefined;
	const controller = others.get(field.showIf.field);
	const other = `“${controller?.label ?? field.showIf.field}”`;
	const eq = field.showIf.equals;
	const when =
		controller?.kind === "checkbox" && (eq === undefined || eq === true)
			? `${other} is ticked`
			: eq === undefined
				? `${other} has a value`
				: `${other} is “${String(eq)}”`;
	return `Only when ${when}${field.required ? "; then required" : ""}.`;
}

/**
 * The CSS that hides conditional fields while their controlling field is empty (a checkbox
 * unticked, a list with nothing chosen). No script: without `:has` every field stays shown, with
 * its hint. Text controllers keep theirs shown (a text box has no empty state CSS can see).
 */
export function conditionalCss(formId: string, fields: FieldView[]): string {
	const byName = new Map(fields.map((f) => [f.name, f]));
	const rules: string[] = [];
	for (const f of fields) {
		const c = f.showIf ? byName.get(f.showIf.field) : undefined;
		if (!f.showIf || !c) continue;
		const eq = f.showIf.equals;
		const value = eq === undefined ? undefined : CSS_ESCAPE(String(eq));
		if (c.kind === "checkbox") {
			rules.push(`#${formId}:not(:has(#${c.id}:checked)) #cond-${f.id}{display:none}`);
		} else if (c.kind === "select") {
			rules.push(
				value === undefined
					? `#${formId}:has(#${c.id} option[value=""]:checked) #cond-${f.id}{display:none}`
					: `#${formId}:not(:has(#${c.id} option[value="${value}"]:checked)) #cond-${f.id}{display:none}`,
			);
		} else if (c.kind === "multiselect") {
			const picked = value === undefined ? ":checked" : `[value="${value}"]:checked`;
			rules.push(
				`#${formId}:not(:has(input[name="${c.name}"]${picked})) #cond-${f.id}{display:none}`,
			);
		}
	}
	return rules.join("\n");
}

/** An author's option as a CSS string's content: quotes, backslashes and `<` as hex escapes. */
const CSS_ESCAPE = (text: string) =>
	text.replace(/["\\\n<>]/g, (ch) => `\\${ch.charCodeAt(0).toString(16)} `);

/** One generated form control with its label, help, "needed" mark and error, wired for AT. */
export function Field({
	field,
	others = new Map(),
}: {
	field: FieldView;
	/** The form's other fields by name (a conditional field names the one it depends on). */
	others?: Map<string, FieldView>;
}) {
	const hint = conditionHint(field, others);
	const inner = <FieldControl field={field} />;
	if (!hint) return inner;
	return (
		<div class="field-conditional" id={`cond-${field.id}`}>
			<p class="help field-condition">{hint}</p>
			{inner}
		</div>
	);
}

function FieldControl({ field }: { field: FieldView }) {
	const common = {
		id: field.id,
		name: field.name,
		...ariaOf(field.id, field.help, field.error),
		"aria-required": field.required ? "true" : undefined,
	};
	const help = <FieldHelp id={field.id} help={field.help} />;
	const error = <FieldError id={field.id} error={field.error} />;
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
	if (field.kind === "multiselect") {
		const chosen = new Set(field.value.split("\n").filter(Boolean));
		return (
			<fieldset
				class={`field field-choices${field.error ? " has-error" : ""}`}
				{...ariaOf(field.id, field.help, field.error)}
			>
				<legend>
					{field.label}
					{marks}
				</legend>
				{help}
				{error}
				{(field.options ?? []).map((o, i) => (
					<div class="checkbox">
						<input
							id={i === 0 ? field.id : `${field.id}-${i}`}
							name={field.name}
							type="checkbox"
							value={o.value}
							checked={chosen.has(o.value)}
						/>
						<label for={i === 0 ? field.id : `${field.id}-${i}`}>{o.label}</label>
					</div>
				))}
			</fieldset>
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
		case "datetime":
			control = <input {...common} type="datetime-local" value={field.value} class="input-date" />;
			break;
		case "email":
			control = (
				<input
					{...common}
					type="email"
					inputmode="email"
					autocomplete="email"
					value={field.value}
					maxlength={254}
				/>
			);
			break;
		case "url":
			control = (
				<input
					{...common}
					type="url"
					inputmode="url"
					placeholder="https://"
					value={field.value}
					maxlength={2000}
				/>
			);
			break;
		case "money":
			control = (
				<span class="input-money">
					<input
						{...common}
						type="number"
						inputmode="decimal"
						step="0.01"
						min={field.min}
						max={field.max}
						value={field.value}
						class="input-number"
					/>
					{field.currency ? <span class="currency">{field.currency}</span> : null}
				</span>
			);
			break;
		case "file":
			control = (
				<>
					{field.value ? (
						<p class="help">{`Attached: ${field.value}. Choose a file to replace it.`}</p>
					) : null}
					<input {...common} type="file" />
				</>
			);
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
	const text = noticeTextIn("work", code);
	if (!text) return null;
	return (
		<Notice tone="success">
			{text}
			{extra ? ` ${extra}` : ""}
		</Notice>
	);
}

/** The count beside "Inbox" in the navigation. */
export function InboxCount({ count }: { count: number }) {
	return (
		<span id="nav-inbox-count" class="nav-count" data-count={String(count)}>
			{count > 0 ? (
				<>
					<span aria-hidden="true">{String(count)}</span>
					<span class="visually-hidden">{`, ${count} open task${count === 1 ? "" : "s"}`}</span>
				</>
			) : null}
		</span>
	);
}
