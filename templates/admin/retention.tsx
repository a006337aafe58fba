// A workflow's retention (issue #16), on its admin page: how long its finished processes are kept,
// whether their histories are archived before removal, and how many were removed so far.
import { CheckboxField, TextField } from "../components.tsx";
import { PostForm } from "./admin-page.tsx";

export interface RetentionView {
	workflowKey: string;
	/** Null: the default applies. */
	retentionDays: number | null;
	defaultDays: number;
	archive: boolean;
	/** Processes of this workflow removed by retention so far. */
	removed: number;
}

export function RetentionCard({ view, csrfToken }: { view: RetentionView; csrfToken: string }) {
	const days = view.retentionDays ?? view.defaultDays;
	return (
		<section class="card" aria-labelledby="retention-title">
			<h2 id="retention-title">Retention</h2>
			<p>
				{`Finished processes are removed ${days} day${days === 1 ? "" : "s"} after they end`}
				{view.retentionDays === null ? " (the default)" : ""}
				{view.archive ? ", their history archived first." : ", without an archive."}
				{` ${view.removed} removed so far.`}
			</p>
			<PostForm
				action={`/admin/workflows/${encodeURIComponent(view.workflowKey)}/retention`}
				csrfToken={csrfToken}
				label="Retention"
			>
				<TextField
					id="retention-days"
					name="retentionDays"
					label="Keep finished processes for (days)"
					type="number"
					min={1}
					max={3650}
					value={view.retentionDays === null ? "" : String(view.retentionDays)}
					help={`Leave empty for the default, ${view.defaultDays} days.`}
				/>
				<CheckboxField
					id="retention-archive"
					name="archive"
					label="Archive the history (NDJSON in R2) before removing"
					checked={view.archive}
				/>
				<div class="form-actions">
					<button type="submit" class="button button-secondary">
						Save retention
					</button>
				</div>
			</PostForm>
		</section>
	);
}
