// The document shell of every page: landmarks, our own htmx (no CDN), the CSRF header for htmx requests.
import type { Child } from "hono/jsx";
import { InboxCount } from "./components.tsx";

export interface LayoutProps {
	title: string;
	/** Set on signed-in pages; sent by htmx on every request (htmx 4 needs `:inherited`). */
	csrfToken?: string;
	user?: { displayName: string; isAdmin: boolean };
	/** The main section this page belongs to; its nav link gets `aria-current="page"`. */
	current?: "inbox" | "processes" | "workflows" | "admin" | "account";
	/**
	 * The count beside "Inbox", when the page knows it (the inbox does); other pages fetch it once
	 * they load, so that a page costs no extra query for it.
	 */
	openTasks?: number;
	children?: Child;
}

export function Layout({ title, csrfToken, user, current, openTasks, children }: LayoutProps) {
	const here = (section: LayoutProps["current"]) => (current === section ? "page" : undefined);
	const headers = csrfToken ? JSON.stringify({ "X-CSRF-Token": csrfToken }) : undefined;
	return (
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{`${title} · Baton`}</title>
				<link rel="icon" href="data:," />
				<link rel="stylesheet" href="/styles.css" />
				{/*
				 * Focus after a re-rendered form, the live indicator, local times: no inline scripts (CSP).
				 * First, so that its listeners exist before htmx connects a live stream: a deferred script
				 * still being fetched could otherwise miss the stream's first "connected" event.
				 */}
				<script src="/app.js" defer />
				<script src="/vendor/htmx.min.js" defer />
				<script src="/vendor/hx-sse.min.js" defer />
			</head>
			<body hx-headers:inherited={headers}>
				<a class="skip-link" href="#main">
					Skip to content
				</a>
				<header class="site-header">
					<a class="brand" href="/">
						Baton
					</a>
					{user ? (
						<nav aria-label="Main">
							<a href="/inbox" aria-current={here("inbox")}>
								Inbox
								{openTasks === undefined ? (
									<span
										id="nav-inbox-count"
										class="nav-count"
										hx-get="/inbox/count"
										hx-trigger="load"
										hx-swap="outerHTML"
									/>
								) : (
									<InboxCount count={openTasks} />
								)}
							</a>
							<a href="/processes" aria-current={here("processes")}>
								Processes
							</a>
							<a href="/workflows" aria-current={here("workflows")}>
								Workflows
							</a>
							{user.isAdmin ? (
								<a href="/admin" aria-current={here("admin")}>
									Admin
								</a>
							) : null}
							<a class="nav-account" href="/account" aria-current={here("account")}>
								{user.displayName}
							</a>
						</nav>
					) : null}
				</header>
				<main id="main" tabindex={-1}>
					{/* Messages and error fragments land here (htmx: HX-Retarget "#flash"). */}
					<div id="flash" class="flash" aria-live="polite" />
					{children}
				</main>
			</body>
		</html>
	);
}
