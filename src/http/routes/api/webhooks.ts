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
import { defineOperations } from "./operation.ts";
import {
	createTrigger,
	deliveryDetailSchema,
	deliveryListQuery,
	deliveryPageSchema,
	errorSchema,
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
const notFound = { description: "No such trigger", schema: errorSchema };

export const webhookOperations = defineOperations([
	{
		method: "get",
		path: "/api/v1/webhooks",
		operationId: "listTriggers",
		summary: "List webhook triggers",
		tag: "Webhooks",
		scope: "read",
		responses: { 200: { description: "Every trigger", schema: triggerListSchema } },
	},
	{
		method: "post",
		path: "/api/v1/webhooks",
		operationId: "createTrigger",
		summary: "Create a trigger; a generated secret is shown this once",
		tag: "Webhooks",
		scope: "admin",
		body: createTrigger,
		responses: {
			201: { description: "Created", schema: triggerCreatedSchema },
			409: { description: "The key is taken", schema: errorSchema },
			422: { description: "invalid_params, details.issues: every problem", schema: errorSchema },
		},
	},
	{
		method: "get",
		path: "/api/v1/webhooks/{triggerKey}",
		operationId: "getTrigger",
		summary: "Get a trigger and its secrets (hints only)",
		tag: "Webhooks",
		scope: "read",
		pathParams: keyParam,
		responses: { 200: { description: "The trigger", schema: triggerViewSchema }, 404: notFound },
	},
	{
		method: "patch",
		path: "/api/v1/webhooks/{triggerKey}",
		operationId: "updateTrigger",
		summary: "Change a trigger (mapping, workflow, enabled, limits, JWT audience and issuer)",
		tag: "Webhooks",
		scope: "admin",
		pathParams: keyParam,
		body: updateTrigger,
		responses: {
			200: { description: "The trigger as changed", schema: triggerViewSchema },
			404: notFound,
			422: { description: "invalid_params", schema: errorSchema },
		},
	},
	{
		method: "delete",
		path: "/api/v1/webhooks/{triggerKey}",
		operationId: "deleteTrigger",
		summary: "Delete a trigger, its secrets and its delivery log",
		tag: "Webhooks",
		scope: "admin",
		pathParams: keyParam,
		responses: { 204: { description: "Deleted" }, 404: notFound },
	},
	{
		method: "post",
		path: "/api/v1/webhooks/{triggerKey}/secrets",
		operationId: "rotateSecret",
		summary: "Rotate: a new current secret; the previous one stays valid for the overlap",
		tag: "Webhooks",
		scope: "admin",
		pathParams: keyParam,
		body: rotateSecret,
		responses: {
			201: { description: "The new secret", schema: secretCreatedSchema },
			404: notFound,
			422: { description: "The secret does not fit the trigger's scheme", schema: errorSchema },
		},
	},
	{
		method: "get",
		path: "/api/v1/webhooks/{triggerKey}/deliveries",
		operationId: "listDeliveries",
		summary: "The delivery log of a trigger, newest first",
		tag: "Webhooks",
		scope: "read",
		pathParams: keyParam,
		query: deliveryListQuery,
		responses: { 200: { description: "A page", schema: deliveryPageSchema }, 404: notFound },
	},
	{
		method: "get",
		path: "/api/v1/webhook-deliveries/{deliveryId}",
		operationId: "getDelivery",
		summary: "One logged delivery, with its headers and body",
		tag: "Webhooks",
		scope: "read",
		pathParams: deliveryParam,
		responses: {
			200: { description: "The delivery", schema: deliveryDetailSchema },
			404: { description: "No such delivery", schema: errorSchema },
		},
	},
	{
		method: "post",
		path: "/api/v1/webhook-deliveries/{deliveryId}/replay",
		operationId: "replayDelivery",
		summary: "Replay a refused delivery, checked as of its arrival, against today's trigger",
		tag: "Webhooks",
		scope: "admin",
		pathParams: deliveryParam,
		responses: {
			200: { description: "Accepted now (a GitHub ping)", schema: replayedSchema },
			202: { description: "Accepted now", schema: replayedSchema },
			404: { description: "No such delivery", schema: errorSchema },
			409: { description: "Not a refused delivery, or its body was not kept", schema: errorSchema },
			"4XX": { description: "Refused again: the error it gets now", schema: errorSchema },
		},
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
		requireManager(c);
		const patch = await readBody(c, updateTrigger);
		const now = Date.now();
		const updated = await updateTriggerAs(c.env.DB, c.req.param("key"), patch, now);
		return c.json(triggerView(updated.trigger, updated.secrets, originOf(c), now));
	})
	.delete("/webhooks/:key", async (c) => {
		requireManager(c);
		if (!(await deleteTrigger(c.env.DB, c.req.param("key")))) {
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
