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
				<section class="card" aria-labelledby="ov-workflows">
					<h2 id="ov-workflows">Workflows</h2>
					<p>{`${counts.workflows} workflow${counts.workflows === 1 ? "" : "s"}, ${counts.drafts} with a draft; ${counts.running} process${counts.running === 1 ? "" : "es"} running.`}</p>
					<p class="actions">
						<a class="button button-secondary" href="/admin/workflows">
							Workflows
						</a>
						<a class="button button-secondary" href="/admin/import">
							Import
						</a>
					</p>
				</section>
				<section class="card" aria-labelledby="ov-people">
					<h2 id="ov-people">People</h2>
					<p>{`${counts.activeUsers} active user${counts.activeUsers === 1 ? "" : "s"} (${counts.users} in all), ${counts.roles} role${counts.roles === 1 ? "" : "s"}.`}</p>
					<p class="actions">
						<a class="button button-secondary" href="/admin/users">
							Users
						</a>
						<a class="button button-secondary" href="/admin/roles">
							Roles
						</a>
					</p>
				</section>
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
