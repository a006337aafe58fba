// The document shell of every page: landmarks, our own htmx (no CDN), the CSRF header for htmx requests.
import type { Child } from "hono/jsx";

export interface LayoutProps {
	title: string;
	/** Set on signed-in pages; sent by htmx on every request (htmx 4 needs `:inherited`). */
	csrfToken?: string;
	user?: { displayName: string; isAdmin: boolean };
	children?: Child;
}

export function Layout({ title, csrfToken, user, children }: LayoutProps) {
	const headers = csrfToken ? JSON.stringify({ "X-CSRF-Token": csrfToken }) : undefined;
	return (
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{`${title} · Baton`}</title>
				<link rel="icon" href="data:," />
				<link rel="stylesheet" href="/styles.css" />
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
							<a href="/inbox">Inbox</a>
							<a href="/processes">Processes</a>
							<a href="/workflows">Workflows</a>
							{user.isAdmin ? <a href="/admin">Admin</a> : null}
						</nav>
					) : null}
				</header>
				<main id="main" tabindex={-1}>
					{children}
				</main>
			</body>
		</html>
	);
}
