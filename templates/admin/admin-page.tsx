// The frame of every admin page (the site layout, the admin sections, a breadcrumb, the notice of a
// redirect) and the POST form the admin forms share; their controls are the site's own
// (templates/components.tsx).
import type { Child } from "hono/jsx";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { type ControlProps, CsrfField, Notice, SelectField } from "../components.tsx";
import { Layout } from "../layout.tsx";

export type AdminSection =
	| "overview"
	| "workflows"
	| "users"
	| "roles"
	| "incidents"
	| "webhooks"
	| "audit";

const SECTIONS: { id: AdminSection; href: string; label: string }[] = [
	{ id: "overview", href: "/admin", label: "Overview" },
	{ id: "workflows", href: "/admin/workflows", label: "Workflows" },
	{ id: "incidents", href: "/admin/incidents", label: "Incidents" },
	{ id: "users", href: "/admin/users", label: "Users" },
	{ id: "roles", href: "/admin/roles", label: "Roles" },
	{ id: "webhooks", href: "/admin/webhooks", label: "Webhooks" },
	{ id: "audit", href: "/admin/audit", label: "Audit log" },
];

export interface Crumb {
	href: string;
	label: string;
}

/** The breadcrumb above a page: Admin, then the section the page is inside (if any), then `more`. */
export function trail(section?: AdminSection, ...more: Crumb[]): Crumb[] {
	const inside = SECTIONS.find((s) => s.id === section);
	return [
		{ href: "/admin", label: "Admin" },
		...(inside ? [{ href: inside.href, label: inside.label }] : []),
		...more,
	];
}

export function AdminPage({
	chrome,
	title,
	section,
	crumbs = [],
	notice,
	lead,
	children,
}: {
	chrome: Chrome;
	title: string;
	section: AdminSection;
	/** The pages above this one, outermost first (Admin is always first). */
	crumbs?: Crumb[];
	notice?: string | undefined;
	/** A line under the title: with it, the page's head (the title as its heading) is drawn here. */
	lead?: Child;
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
			{lead === undefined ? null : (
				<div class="page-head">
					<h1>{title}</h1>
					<p class="page-lead muted">{lead}</p>
				</div>
			)}
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

/**
 * The small danger button that takes one thing off a list (a member, a role, a grant), in its own
 * inline POST form; `what` finishes its name for screen readers, `children` are hidden inputs.
 */
export function RemoveForm({
	action,
	csrfToken,
	verb = "Remove",
	what,
	children,
}: {
	action: string;
	csrfToken: string;
	verb?: string;
	what: string;
	children?: Child;
}) {
	return (
		<PostForm action={action} csrfToken={csrfToken} class="inline">
			{children}
			<button type="submit" class="button-small button-danger">
				{verb}
				<span class="visually-hidden">{what}</span>
			</button>
		</PostForm>
	);
}

/** A one-line form that adds a thing chosen from a list (a member to a role, a user to a role). */
export function AddForm({
	action,
	csrfToken,
	field,
}: {
	action: string;
	csrfToken: string;
	field: ControlProps & { choices: { value: string; label: string }[]; blank: string };
}) {
	return (
		<PostForm action={action} csrfToken={csrfToken} class="form inline-form">
			<SelectField {...field} />
			<button type="submit" class="button-secondary">
				Add
			</button>
		</PostForm>
	);
}
