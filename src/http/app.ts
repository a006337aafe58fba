// The Hono application: what every answer carries, then the doors (src/http/doors.ts), each with
// its own middleware, mounted under their own paths, the pages last.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { demoSeed } from "../demo/seed.ts";
import type { AppEnv } from "./context.ts";
import { adminDoor, apiDoor, hooksDoor, pagesDoor } from "./doors.ts";
import { AppError, handleError } from "./errors.tsx";
import { apiOperations } from "./openapi.ts";
import { accountRoutes } from "./routes/account.tsx";
import { adminRoutes } from "./routes/admin/index.ts";
import { apiDocsRoutes } from "./routes/api/docs.tsx";
import { apiV1, MAX_API_BODY_BYTES } from "./routes/api/index.ts";
import { meRoute } from "./routes/api/me.ts";
import { bulkRoutes } from "./routes/bulk.tsx";
import { healthRoutes } from "./routes/health.ts";
import { hookRoutes } from "./routes/hooks.ts";
import { inboxRoutes } from "./routes/inbox.tsx";
import { processRoutes } from "./routes/processes.tsx";
import { signInRoutes, signOutRoutes } from "./routes/session.tsx";
import { startRoutes } from "./routes/start.tsx";
import { taskRoutes } from "./routes/tasks.tsx";
import { workflowPageRoutes } from "./routes/workflows-pages.tsx";

export { MAX_BODY_BYTES } from "./doors.ts";

export function createApp() {
	const app = new Hono<AppEnv>();
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
	app.use(demoSeed());
	app.route("/", healthRoutes);
	app.route("/hooks", hooksDoor().route("/", hookRoutes));
	app.route("/api/v1", apiDoor(apiOperations, MAX_API_BODY_BYTES).route("/", apiV1));
	app.route("/api/me", apiDoor(apiOperations, MAX_API_BODY_BYTES).route("/", meRoute));
	app.route("/api/docs", pagesDoor().route("/", apiDocsRoutes));
	app.route("/admin", adminDoor().route("/", adminRoutes));
	app.route("/sign-in", pagesDoor("sign-in").route("/", signInRoutes));
	app.route("/sign-out", pagesDoor("sign-out").route("/", signOutRoutes));
	app.route(
		"/",
		pagesDoor()
			.route("/", accountRoutes)
			.route("/", inboxRoutes)
			.route("/", taskRoutes)
			.route("/", bulkRoutes)
			.route("/", processRoutes)
			.route("/", workflowPageRoutes)
			.route("/", startRoutes),
	);
	// An address no route answers gets the same error page (or JSON, for the API) as any 404.
	app.notFound((c) =>
		handleError(new AppError("not_found", "There is no page at this address."), c),
	);
	app.onError(handleError);
	return app;
}

export const app = createApp();
