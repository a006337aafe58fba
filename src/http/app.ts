// The Hono application: middleware shared by every door, then one route module per resource.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { demoSeed } from "../demo/seed.ts";
import type { AppEnv } from "./context.ts";
import { handleError } from "./errors.tsx";
import { authenticate } from "./middleware/authenticate.ts";
import { csrfProtection, originCheck } from "./middleware/csrf.ts";
import { jsonLimits } from "./middleware/json-limits.ts";
import { accountRoutes } from "./routes/account.tsx";
import { adminRoutes } from "./routes/admin/index.ts";
import { adminWebhookRoutes } from "./routes/admin-webhooks.tsx";
import { apiDocsRoutes } from "./routes/api/docs.tsx";
import { apiV1 } from "./routes/api/index.ts";
import { healthRoutes } from "./routes/health.ts";
import { hookRoutes } from "./routes/hooks.ts";
import { inboxRoutes } from "./routes/inbox.tsx";
import { processRoutes } from "./routes/processes.tsx";
import { sessionRoutes } from "./routes/session.tsx";
import { startRoutes } from "./routes/start.tsx";
import { taskRoutes } from "./routes/tasks.tsx";
import { workflowPageRoutes } from "./routes/workflows-pages.tsx";

/** Requests larger than this are refused with 413 before any handler reads them. */
export const MAX_BODY_BYTES = 256 * 1024;

export function createApp() {
	const app = new Hono<AppEnv>();
	// The same headers reach the static files through public/_headers (tests/workers/static-headers.test.ts
	// keeps the two equal).
	app.use(
		secureHeaders({
			contentSecurityPolicy: {
				defaultSrc: ["'self'"],
				scriptSrc: ["'self'"],
				styleSrc: ["'self'", "'unsafe-inline'"],
				imgSrc: ["'self'", "data:"],
				connectSrc: ["'self'"],
				frameAncestors: ["'none'"],
				formAction: ["'self'"],
				baseUri: ["'none'"],
				objectSrc: ["'none'"],
			},
			xFrameOptions: "DENY",
		}),
	);
	app.use(
		bodyLimit({
			maxSize: MAX_BODY_BYTES,
			onError: (c) =>
				c.json(
					{ code: "payload_too_large", message: `The body exceeds ${MAX_BODY_BYTES} bytes.` },
					413,
				),
		}),
	);
	app.use(demoSeed());
	// People (docs/people.md): Origin check, who is asking (re-read from D1), then the CSRF token.
	app.use(originCheck());
	app.use(authenticate());
	app.use(csrfProtection());
	// JSON nested too deep is refused here, before any route parses it (webhooks: in the receiver).
	app.use(jsonLimits());
	app.route("/", healthRoutes);
	app.route("/", sessionRoutes);
	app.route("/", accountRoutes);
	app.route("/", inboxRoutes);
	app.route("/", taskRoutes);
	app.route("/", processRoutes);
	app.route("/", workflowPageRoutes);
	app.route("/", startRoutes);
	app.route("/", hookRoutes);
	app.route("/api/v1", apiV1);
	app.route("/", apiDocsRoutes);
	app.route("/", adminWebhookRoutes);
	app.route("/admin", adminRoutes);
	app.onError(handleError);
	return app;
}

export const app = createApp();
