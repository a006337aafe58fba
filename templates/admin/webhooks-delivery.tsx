// One logged delivery for admins: its outcome and reason, the headers it was verified with, the
// raw body as it came (escaped text, never markup), and Replay when it was refused.

import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { At } from "../components.tsx";
import { AdminPage, PostForm, trail } from "./admin-page.tsx";
import { triggerHref } from "./webhooks.tsx";
import { type DeliveryRow, deliveryHref } from "./webhooks-trigger.tsx";

export interface DeliveryDetail extends DeliveryRow {
	triggerKey: string;
	taskId: string | null;
	code: string | null;
	bodySize: number;
	replayedBy: string | null;
	headers: Record<string, string>;
	body: string | null;
}

export function DeliveryPage({
	chrome,
	delivery: d,
	notice,
}: {
	chrome: Chrome;
	delivery: DeliveryDetail;
	notice?: string | undefined;
}) {
	const title = `Delivery ${d.deliveryId ?? d.id}`;
	return (
		<AdminPage
			chrome={chrome}
			title={title}
			section="webhooks"
			crumbs={trail("webhooks", { href: triggerHref(d.triggerKey), label: d.triggerKey })}
			notice={notice}
		>
			<div class="page-head">
				<h1>{title}</h1>
			</div>
			<section class="card" aria-labelledby="outcome-title">
				<h2 id="outcome-title">Outcome</h2>
				<dl class="facts">
					<dt>Received</dt>
					<dd>
						<At at={d.receivedAt} />
					</dd>
					<dt>Answer</dt>
					<dd>{`${d.status} (${d.httpStatus}${d.code ? ` ${d.code}` : ""})`}</dd>
					<dt>Why</dt>
					<dd>{d.reason ?? "—"}</dd>
					<dt>Process</dt>
					<dd>
						{d.processId ? (
							<a href={`/processes/${encodeURIComponent(d.processId)}`}>
								<code>{d.processId}</code>
							</a>
						) : (
							"—"
						)}
					</dd>
					{d.taskId ? (
						<>
							<dt>Task</dt>
							<dd>
								<code>{d.taskId}</code>
							</dd>
						</>
					) : null}
					{d.replayOf ? (
						<>
							<dt>Replay of</dt>
							<dd>
								<a href={deliveryHref(d.replayOf)}>{d.replayOf}</a>
								{d.replayedBy ? ` (by ${d.replayedBy})` : ""}
							</dd>
						</>
					) : null}
				</dl>
				{d.replayable ? (
					<PostForm
						action={`${deliveryHref(d.id)}/replay`}
						csrfToken={chrome.csrfToken}
						label="Replay this delivery"
					>
						<p class="muted">
							Fixed the cause? Replay checks this delivery again as of its arrival, with today's
							trigger settings.
						</p>
						<button type="submit" class="button button-primary">
							Replay
						</button>
					</PostForm>
				) : null}
			</section>
			<section class="card" aria-labelledby="headers-title">
				<h2 id="headers-title">Headers</h2>
				<dl class="facts">
					{Object.entries(d.headers).map(([name, value]) => (
						<>
							<dt>
								<code>{name}</code>
							</dt>
							<dd>
								<code>{name === "authorization" ? `${value.slice(0, 24)}…` : value}</code>
							</dd>
						</>
					))}
				</dl>
			</section>
			<section class="card" aria-labelledby="body-title">
				<h2 id="body-title">{`Body (${d.bodySize} bytes)`}</h2>
				{d.body === null ? (
					<p class="muted">Not kept: it was larger than the limit.</p>
				) : (
					<pre class="json">
						<code>{d.body}</code>
					</pre>
				)}
			</section>
		</AdminPage>
	);
}
