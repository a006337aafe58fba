// /api/v1/webhooks (admins): manage triggers and their secrets, read the delivery log, replay a
// refused delivery once its cause is fixed. The doors themselves are /hooks/:trigger (hooks.ts).
import { type Context, Hono } from "hono";
import { canManage } from "../../../auth/permissions.ts";
import {
	deleteTrigger,
	findDelivery,
	findTrigger,
	listDeliveries,
	listTriggers,
} from "../../../db/webhooks.ts";
import {
	createTriggerAs,
	deliveryDetail,
	deliveryView,
	rotateSecretAs,
	triggerView,
	updateTriggerAs,
} from "../../../webhooks/admin.ts";
import { replayDelivery } from "../../../webhooks/replay.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { requireUser } from "../../middleware/authorize.ts";
import { decodeCursor, encodeCursor, originOf, readBody, readEmpty, readQuery } from "./http.ts";
import { defineOperations, ok, responses } from "./operation.ts";
import {
	createTrigger,
	deliveryDetailSchema,
	deliveryListQuery,
	deliveryPageSchema,
	replayedSchema,
	rotateSecret,
	secretCreatedSchema,
	triggerCreatedSchema,
	triggerListSchema,
	triggerView as triggerViewSchema,
	updateTrigger,
} from "./schemas.ts";

type Ctx = Context<AppEnv>;

const keyParam = { triggerKey: "The trigger's key (its URL is /hooks/<key>)" };
const deliveryParam = { deliveryId: "The log row's id (whd_…)" };
const notFound = "No such trigger";

export const webhookOperations = defineOperations("Webhooks", [
	{
		method: "get",
		path: "/api/v1/webhooks",
		operationId: "listTriggers",
		summary: "List webhook triggers",
		scope: "read",
		responses: responses({ 200: ok("Every trigger", triggerListSchema) }),
	},
	{
		method: "post",
		path: "/api/v1/webhooks",
		operationId: "createTrigger",
		summary: "Create a trigger; a generated secret is shown this once",
		scope: "admin",
		body: createTrigger,
		responses: responses({
			201: ok("Created", triggerCreatedSchema),
			409: "The key is taken",
			422: "invalid_params, details.issues: every problem",
		}),
	},
	{
		method: "get",
		path: "/api/v1/webhooks/{triggerKey}",
		operationId: "getTrigger",
		summary: "Get a trigger and its secrets (hints only)",
		scope: "read",
		pathParams: keyParam,
		responses: responses({ 200: ok("The trigger", triggerViewSchema), 404: notFound }),
	},
	{
		method: "patch",
		path: "/api/v1/webhooks/{triggerKey}",
		operationId: "updateTrigger",
		summary: "Change a trigger (mapping, workflow, enabled, limits, JWT audience and issuer)",
		scope: "admin",
		pathParams: keyParam,
		body: updateTrigger,
		responses: responses({
			200: ok("The trigger as changed", triggerViewSchema),
			404: notFound,
			422: "invalid_params",
		}),
	},
	{
		method: "delete",
		path: "/api/v1/webhooks/{triggerKey}",
		operationId: "deleteTrigger",
		summary: "Delete a trigger, its secrets and its delivery log",
		scope: "admin",
		pathParams: keyParam,
		responses: responses({ 204: { description: "Deleted" }, 404: notFound }),
	},
	{
		method: "post",
		path: "/api/v1/webhooks/{triggerKey}/secrets",
		operationId: "rotateSecret",
		summary: "Rotate: a new current secret; the previous one stays valid for the overlap",
		scope: "admin",
		pathParams: keyParam,
		body: rotateSecret,
		responses: responses({
			201: ok("The new secret", secretCreatedSchema),
			404: notFound,
			422: "The secret does not fit the trigger's scheme",
		}),
	},
	{
		method: "get",
		path: "/api/v1/webhooks/{triggerKey}/deliveries",
		operationId: "listDeliveries",
		summary: "The delivery log of a trigger, newest first",
		scope: "read",
		pathParams: keyParam,
		query: deliveryListQuery,
		responses: responses({ 200: ok("A page", deliveryPageSchema), 404: notFound }),
	},
	{
		method: "get",
		path: "/api/v1/webhook-deliveries/{deliveryId}",
		operationId: "getDelivery",
		summary: "One logged delivery, with its headers and body",
		scope: "read",
		pathParams: deliveryParam,
		responses: responses({
			200: ok("The delivery", deliveryDetailSchema),
			404: "No such delivery",
		}),
	},
	{
		method: "post",
		path: "/api/v1/webhook-deliveries/{deliveryId}/replay",
		operationId: "replayDelivery",
		summary: "Replay a refused delivery, checked as of its arrival, against today's trigger",
		scope: "admin",
		pathParams: deliveryParam,
		responses: responses({
			200: ok("Accepted now (a GitHub ping)", replayedSchema),
			202: ok("Accepted now", replayedSchema),
			404: "No such delivery",
			409: "Not a refused delivery, or its body was not kept",
			"4XX": "Refused again: the error it gets now",
		}),
	},
]);

/** Triggers hold secrets: admins only, and 403 (the admin API is no secret). */
function requireManager(c: Ctx) {
	const user = requireUser(c);
	if (!canManage(user)) throw new AppError("forbidden", "Only administrators manage webhooks.");
	return user;
}

async function foundTrigger(c: Ctx, key: string) {
	const found = await findTrigger(c.env.DB, key);
	if (!found) throw new AppError("not_found", "No such webhook trigger.");
	return found;
}

export const webhooksApi = new Hono<AppEnv>()
	.get("/webhooks", async (c) => {
		requireManager(c);
		const now = Date.now();
		const items = await Promise.all(
			(await listTriggers(c.env.DB)).map(async (t) => {
				const found = await foundTrigger(c, t.key);
				return triggerView(found.trigger, found.secrets, originOf(c), now);
			}),
		);
		return c.json({ items });
	})
	.post("/webhooks", async (c) => {
		const user = requireManager(c);
		const input = await readBody(c, createTrigger);
		const now = Date.now();
		const created = await createTriggerAs(c.env.DB, input, { by: user.id, now });
		return c.json(
			{
				trigger: triggerView(created.trigger, created.secrets, originOf(c), now),
				secret: created.secret,
			},
			201,
		);
	})
	.get("/webhooks/:key", async (c) => {
		requireManager(c);
		const found = await foundTrigger(c, c.req.param("key"));
		return c.json(triggerView(found.trigger, found.secrets, originOf(c), Date.now()));
	})
	.patch("/webhooks/:key", async (c) => {
		const user = requireManager(c);
		const patch = await readBody(c, updateTrigger);
		const now = Date.now();
		const updated = await updateTriggerAs(c.env.DB, c.req.param("key"), patch, now, user.id);
		return c.json(triggerView(updated.trigger, updated.secrets, originOf(c), now));
	})
	.delete("/webhooks/:key", async (c) => {
		const user = requireManager(c);
		if (!(await deleteTrigger(c.env.DB, c.req.param("key"), user.id))) {
			throw new AppError("not_found", "No such webhook trigger.");
		}
		return c.body(null, 204);
	})
	.post("/webhooks/:key/secrets", async (c) => {
		const user = requireManager(c);
		const input = await readBody(c, rotateSecret);
		const rotated = await rotateSecretAs(c.env.DB, c.req.param("key"), input, {
			by: user.id,
			now: Date.now(),
		});
		return c.json(rotated, 201);
	})
	.get("/webhooks/:key/deliveries", async (c) => {
		requireManager(c);
		const found = await foundTrigger(c, c.req.param("key"));
		const q = readQuery(c, deliveryListQuery);
		const after = decodeCursor(q.cursor);
		const page = await listDeliveries(c.env.DB, found.trigger.key, {
			status: q.status,
			after: after && { receivedAt: after.at, id: after.id },
			limit: q.limit,
		});
		return c.json({
			items: page.items.map(deliveryView),
			nextCursor: page.next ? encodeCursor(page.next.receivedAt, page.next.id) : null,
		});
	})
	.get("/webhook-deliveries/:id", async (c) => {
		requireManager(c);
		const row = await findDelivery(c.env.DB, c.req.param("id"));
		if (!row) throw new AppError("not_found", "No such delivery.");
		return c.json(deliveryDetail(row));
	})
	.post("/webhook-deliveries/:id/replay", async (c) => {
		const user = requireManager(c);
		await readEmpty(c);
		const accepted = await replayDelivery(c.env, c.req.param("id"), {
			by: user.id,
			origin: originOf(c),
			now: Date.now(),
		});
		return c.json({ ...accepted.body, logId: accepted.logId }, accepted.status);
	});
