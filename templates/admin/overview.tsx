// The admin home: what exists and what needs attention, with the way to each section.
import type { OverviewCounts } from "../../src/http/routes/admin/reads.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { AdminPage } from "./admin-page.tsx";

export function OverviewPage({ chrome, counts }: { chrome: Chrome; counts: OverviewCounts }) {
	const attention = counts.stuck + counts.withIncidents + counts.failedTasks + counts.unassigned;
	return (
		<AdminPage
			chrome={chrome}
			title="Administration"
			section="overview"
			lead="Workflows and their versions, people and permissions, and the incidents to resolve."
		>
			<div class="card-grid admin-overview">
				<section class="card" aria-labelledby="ov-incidents">
					<h2 id="ov-incidents">Incidents</h2>
					{attention === 0 ? (
						<p>
							<span class="badge tone-success">all clear</span> Nothing needs you.
						</p>
					) : (
						<ul class="plain-list">
							<li>{`${counts.failedTasks} failed task${counts.failedTasks === 1 ? "" : "s"}`}</li>
							<li>{`${counts.unassigned} task${counts.unassigned === 1 ? "" : "s"} without an assignee`}</li>
							<li>{`${counts.stuck} stuck process${counts.stuck === 1 ? "" : "es"}`}</li>
							<li>{`${counts.withIncidents} process${counts.withIncidents === 1 ? "" : "es"} with open incidents`}</li>
						</ul>
					)}
					<p>
						<a class="button button-primary" href="/admin/incidents">
							Open incidents
						</a>
					</p>
				</section>
				<SectionCard
					id="ov-workflows"
					title="Workflows"
					summary={`${counts.workflows} workflow${counts.workflows === 1 ? "" : "s"}, ${counts.drafts} with a draft; ${counts.running} process${counts.running === 1 ? "" : "es"} running.`}
					links={[
						{ href: "/admin/workflows", label: "Workflows" },
						{ href: "/admin/import", label: "Import" },
					]}
				/>
				<SectionCard
					id="ov-people"
					title="People"
					summary={`${counts.activeUsers} active user${counts.activeUsers === 1 ? "" : "s"} (${counts.users} in all), ${counts.roles} role${counts.roles === 1 ? "" : "s"}.`}
					links={[
						{ href: "/admin/users", label: "Users" },
						{ href: "/admin/roles", label: "Roles" },
					]}
				/>
				<section class="card" aria-labelledby="ov-webhooks">
					<h2 id="ov-webhooks">Webhooks</h2>
					<p>Signed webhooks that start processes or complete the tasks waiting for an event.</p>
					<p>
						<a class="button button-secondary" href="/admin/webhooks">
							Webhooks
						</a>
					</p>
				</section>
			</div>
		</AdminPage>
	);
}

/** A card of the overview: what a part of the admin holds, and the way to its pages. */
function SectionCard({
	id,
	title,
	summary,
	links,
}: {
	id: string;
	title: string;
	summary: string;
	links: { href: string; label: string }[];
}) {
	return (
		<section class="card" aria-labelledby={id}>
			<h2 id={id}>{title}</h2>
			<p>{summary}</p>
			<p class="actions">
				{links.map((l) => (
					<a class="button button-secondary" href={l.href}>
						{l.label}
					</a>
				))}
			</p>
		</section>
	);
}
