// Permission grants (docs/people.md): who may start, see or stop the processes of which workflow.
// The table of grants with a revoke button each, and the form that adds one; used on the user, role
// and workflow pages.

import { FormActions, SelectField, TableHead } from "../components.tsx";
import { PostForm, RemoveForm } from "./admin-page.tsx";

export const PERMISSION_LABELS: Record<string, string> = {
	"workflow.start": "Start processes",
	"process.see_all": "See every process",
	"task.reassign": "Reassign tasks (role lead)",
	"process.stop": "Stop processes",
};

export interface GrantView {
	subjectKind: "user" | "role";
	subjectId: string;
	subjectLabel: string;
	permission: string;
	scope: string;
	scopeLabel: string;
	/** Through a role (read only on a user's page). */
	inherited?: boolean;
}

export interface Choice {
	value: string;
	label: string;
}

export function GrantsTable({
	grants,
	csrf,
	back,
	show,
	caption,
}: {
	grants: GrantView[];
	csrf: string;
	/** Where to come back to after a revoke. */
	back: string;
	show: { subject: boolean; scope: boolean };
	caption: string;
}) {
	if (grants.length === 0) return <p class="muted">No permissions granted.</p>;
	return (
		<div class="table-scroll" tabindex={0}>
			<table class="table">
				<caption class="visually-hidden">{caption}</caption>
				<TableHead
					columns={[...(show.subject ? ["Who"] : []), "May", ...(show.scope ? ["Workflow"] : [])]}
					actions
				/>
				<tbody>
					{grants.map((g) => (
						<tr>
							{show.subject ? (
								<td>
									{g.subjectLabel}{" "}
									<span class="muted small">{g.subjectKind === "role" ? "(role)" : "(user)"}</span>
								</td>
							) : null}
							<td>{PERMISSION_LABELS[g.permission] ?? g.permission}</td>
							{show.scope ? <td>{g.scopeLabel}</td> : null}
							<td class="cell-actions">
								{g.inherited ? (
									<span class="muted small">{`through the role ${g.subjectLabel}`}</span>
								) : (
									<RemoveForm
										action="/admin/grants/revoke"
										csrfToken={csrf}
										verb="Revoke"
										what={` ${PERMISSION_LABELS[g.permission] ?? g.permission} on ${g.scopeLabel} from ${g.subjectLabel}`}
									>
										<input type="hidden" name="subjectKind" value={g.subjectKind} />
										<input type="hidden" name="subjectId" value={g.subjectId} />
										<input type="hidden" name="permission" value={g.permission} />
										<input type="hidden" name="scope" value={g.scope} />
										<input type="hidden" name="back" value={back} />
									</RemoveForm>
								)}
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

/** Grants a permission; the subject or the scope is fixed by the page, the other one chosen. */
export function GrantForm({
	csrf,
	back,
	id,
	subject,
	subjects,
	scope,
	scopes,
	error,
}: {
	csrf: string;
	back: string;
	id: string;
	subject?: { kind: "user" | "role"; id: string };
	/** Choices as `role:<key>` or `user:<id>`. */
	subjects?: Choice[];
	scope?: string;
	scopes?: Choice[];
	error?: string | undefined;
}) {
	return (
		<PostForm
			action="/admin/grants"
			csrfToken={csrf}
			class="form grant-form"
			label="Grant a permission"
		>
			<input type="hidden" name="back" value={back} />
			{subject ? (
				<>
					<input type="hidden" name="subjectKind" value={subject.kind} />
					<input type="hidden" name="subjectId" value={subject.id} />
				</>
			) : (
				<SelectField
					id={`${id}-subject`}
					name="subject"
					label="Who"
					choices={subjects ?? []}
					blank="Choose a role or user…"
				/>
			)}
			<SelectField
				id={`${id}-permission`}
				name="permission"
				label="May"
				value="workflow.start"
				choices={Object.entries(PERMISSION_LABELS).map(([value, label]) => ({ value, label }))}
				error={error}
			/>
			{scope !== undefined ? (
				<input type="hidden" name="scope" value={scope} />
			) : (
				<SelectField
					id={`${id}-scope`}
					name="scope"
					label="Workflow"
					value="*"
					choices={scopes ?? []}
				/>
			)}
			<FormActions label="Grant" button="button-secondary" />
		</PostForm>
	);
}

/**
 * The permissions of one user or role, on its own page: the grants on any workflow, with a revoke
 * button each, and the form that grants one more.
 */
export function SubjectGrants({
	heading,
	subject,
	name,
	grants,
	scopes,
	csrf,
	back,
}: {
	heading: string;
	subject: { kind: "user" | "role"; id: string };
	/** The user's or role's name, for the table's caption. */
	name: string;
	grants: GrantView[];
	scopes: Choice[];
	csrf: string;
	back: string;
}) {
	return (
		<section class="card" aria-labelledby="grants-title">
			<h2 id="grants-title">{heading}</h2>
			<GrantsTable
				grants={grants}
				csrf={csrf}
				back={back}
				show={{ subject: false, scope: true }}
				caption={`Permissions of ${name}`}
			/>
			<GrantForm
				csrf={csrf}
				back={back}
				id={`${subject.kind}-grant`}
				subject={subject}
				scopes={scopes}
			/>
		</section>
	);
}
