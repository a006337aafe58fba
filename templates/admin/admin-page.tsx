// The frame of every admin page (the site layout, the admin sections, a breadcrumb, the notice of a
// redirect) and the small form controls the admin forms share: each labelled, with its help and
// its error tied to it for screen readers.
import type { Child } from "hono/jsx";
import { CsrfField, Notice } from "../components.tsx";
import { Layout } from "../layout.tsx";

export interface AdminChrome {
	csrfToken: string;
	user: { displayName: string; isAdmin: boolean };
}

export type AdminSection = "overview" | "workflows" | "users" | "roles" | "incidents" | "webhooks";

const SECTIONS: { id: AdminSection; href: string; label: string }[] = [
	{ id: "overview", href: "/admin", label: "Overview" },
	{ id: "workflows", href: "/admin/workflows", label: "Workflows" },
	{ id: "incidents", href: "/admin/incidents", label: "Incidents" },
	{ id: "users", href: "/admin/users", label: "Users" },
	{ id: "roles", href: "/admin/roles", label: "Roles" },
	{ id: "webhooks", href: "/admin/webhooks", label: "Webhooks" },
];

export function AdminPage({
	chrome,
	title,
	section,
	crumbs = [],
	notice,
	children,
}: {
	chrome: AdminChrome;
	title: string;
	section: AdminSection;
	/** The pages above this one, outermost first (Admin is always first). */
	crumbs?: { href: string; label: string }[];
	notice?: string | undefined;
	children?: Child;
}) {
	return (
		<Layout title={title} csrfToken={chrome.csrfToken} user={chrome.user} current="admin">
			<link rel="stylesheet" href="/admin.css" />
			<script src="/admin.js" defer />
			<nav class="admin-nav" aria-label="Administration">
				<ul>
					{SECTIONS.map((s) => (
						<li>
							<a href={s.href} aria-current={s.id === section ? "page" : undefined}>
								{s.label}
							</a>
						</li>
					))}
				</ul>
			</nav>
			{crumbs.length > 0 ? (
				<nav class="breadcrumb" aria-label="Breadcrumb">
					<ol>
						{crumbs.map((c) => (
							<li>
								<a href={c.href}>{c.label}</a>
							</li>
						))}
						<li aria-current="page">{title}</li>
					</ol>
				</nav>
			) : null}
			{notice ? <Notice tone="success">{notice}</Notice> : null}
			{children}
		</Layout>
	);
}

/**
 * A POST form that works without JavaScript (the answer is a page, or a 303 to one). With a
 * `target`, htmx sends it instead and swaps the target with the answer. A `confirm` question is
 * asked by /admin.js before either sends it.
 */
export function PostForm({
	action,
	csrfToken,
	target,
	swap = "outerHTML",
	class: className,
	id,
	label,
	confirm,
	children,
}: {
	action: string;
	csrfToken: string;
	target?: string;
	swap?: string;
	class?: string;
	id?: string;
	/** An accessible name, for forms that are landmarks of their own. */
	label?: string;
	confirm?: string | undefined;
	children?: Child;
}) {
	return (
		<form
			method="post"
			action={action}
			hx-post={target ? action : undefined}
			hx-target={target}
			hx-swap={target ? swap : undefined}
			data-confirm={confirm}
			class={className}
			id={id}
			aria-label={label}
		>
			<CsrfField token={csrfToken} />
			{children}
		</form>
	);
}

function describedBy(id: string, help?: string, error?: string): string | undefined {
	return (
		[help ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined
	);
}

function HelpAndError({ id, help, error }: { id: string; help?: string; error?: string }) {
	return (
		<>
			{help ? (
				<p id={`${id}-help`} class="field-help">
					{help}
				</p>
			) : null}
			{error ? (
				<p id={`${id}-error`} class="field-error">
					<span class="visually-hidden">Error: </span>
					{error}
				</p>
			) : null}
		</>
	);
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
				aria-invalid={props.error ? "true" : undefined}
				aria-describedby={describedBy(props.id, props.help, props.error)}
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
				aria-invalid={props.error ? "true" : undefined}
				aria-describedby={describedBy(props.id, props.help, props.error)}
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
				aria-invalid={props.error ? "true" : undefined}
				aria-describedby={describedBy(props.id, props.help, props.error)}
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
					aria-describedby={help ? `${id}-help` : undefined}
				/>
				<label for={id}>{label}</label>
			</div>
			{help ? (
				<p id={`${id}-help`} class="field-help">
					{help}
				</p>
			) : null}
		</div>
	);
}

/** A date as a short UTC text in a <time> element. */
export function At({ at }: { at: number | null | undefined }) {
	if (at === null || at === undefined) return <span class="muted">—</span>;
	const iso = new Date(at).toISOString();
	return (
		<time datetime={iso} data-local="">
			{`${iso.slice(0, 16).replace("T", " ")} UTC`}
		</time>
	);
}
