// The local outbox (/admin/outbox, only on a local run: MAIL_OUTBOX=keep or DEMO_SEED=on): every
// mail and webhook post Baton sent, newest first, so the demo and the tests can read them without
// a real mailbox. Production has no such page: its mail is not kept.
import type { Chrome } from "../src/http/view-models/page-context.ts";
import { EmptyState, TableHead } from "./components.tsx";
import { Layout } from "./layout.tsx";

export interface OutboxEntry {
	id: number;
	channel: string;
	recipient: string;
	subject: string;
	body: string;
	messageId: string | null;
	source: string;
	sentAt: number;
}

const SOURCES: Record<string, string> = {
	notification: "Notification",
	"email-task": "Email task",
};

function utc(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** The text, with each line that is only a link (a Baton path or a URL) made clickable. */
function BodyLines({ text }: { text: string }) {
	return (
		<>
			{text.split("\n").map((line) => {
				const link = line.trim();
				return /^(\/[^\s/]|https?:\/\/)\S*$/.test(link) ? (
					<>
						{line.slice(0, line.indexOf(link))}
						<a href={link}>{link}</a>
						{"\n"}
					</>
				) : (
					`${line}\n`
				);
			})}
		</>
	);
}

export function OutboxPage({ chrome, entries }: { chrome: Chrome; entries: OutboxEntry[] }) {
	return (
		<Layout title="Outbox" csrfToken={chrome.csrfToken} user={chrome.user} current="admin">
			<nav aria-label="Breadcrumb" class="breadcrumb">
				<a href="/admin">Admin</a>
			</nav>
			<h1>Outbox</h1>
			<p>
				What Baton sent on this local run: notification mail, webhook posts and the email tasks'
				mail, newest first. A deployed Baton keeps none of it; its mail goes out through Cloudflare
				Email Service.
			</p>
			{entries.length === 0 ? (
				<EmptyState title="Nothing sent yet">
					Assign a task to someone, or run a workflow with an email step.
				</EmptyState>
			) : (
				<table class="table outbox">
					<caption class="visually-hidden">Sent messages, newest first</caption>
					<TableHead columns={["Sent", "Channel", "To", "Subject and text", "From"]} />
					<tbody>
						{entries.map((e) => (
							<tr id={`outbox-${e.id}`}>
								<td>
									<time datetime={new Date(e.sentAt).toISOString()}>{utc(e.sentAt)}</time>
								</td>
								<td>{e.channel === "email" ? "Email" : "Webhook"}</td>
								<td class="break">{e.recipient}</td>
								<td>
									<details>
										<summary>{e.subject}</summary>
										<pre class="outbox-body">
											<BodyLines text={e.body} />
										</pre>
										{e.messageId ? (
											<p class="muted">
												Message id: <code>{e.messageId}</code>
											</p>
										) : null}
									</details>
								</td>
								<td>{SOURCES[e.source] ?? e.source}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</Layout>
	);
}
