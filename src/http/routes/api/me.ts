// GET /api/me: who a token (or session) belongs to and what it may do, for scripts to check their
// setup. Mounted at /api/me by app.ts, behind the API's door like /api/v1.
import { Hono } from "hono";
import { API_SCOPES } from "../../../auth/api-tokens.ts";
import type { AppEnv } from "../../context.ts";
import { requireUser } from "../../middleware/authorize.ts";

export const meRoute = new Hono<AppEnv>().get("/", (c) => {
	const user = requireUser(c);
	return c.json({
		id: user.id,
		email: user.email,
		displayName: user.displayName,
		isAdmin: user.isAdmin,
		roles: user.roles,
		via: user.via,
		scopes: user.scopes ?? [...API_SCOPES],
		...(user.externalTaskTypes && user.externalTaskTypes.length > 0
			? { externalTaskTypes: user.externalTaskTypes }
			: {}),
	});
});
