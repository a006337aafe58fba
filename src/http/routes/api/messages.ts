// POST /api/v1/messages: publish a message (N2) to the task that has waited longest for its name
// and correlation key, keep it until one does, and start a process of every workflow whose start
// node waits for that name (N3). Admins only, with the `messages:publish` scope on a token.
import { Hono } from "hono";
import type { Published } from "../../../messages/publish.ts";
import { publishAs } from "../../../processes/acts.ts";
import type { AppEnv } from "../../context.ts";
import { requireUser } from "../../middleware/authorize.ts";
import { originOf, readBody } from "./http.ts";
import { defineOperations, notAdmin, ok, responses } from "./operation.ts";
import { messagePublishedSchema, publishMessageSchema } from "./schemas.ts";
import { processUrl } from "./views.ts";

export const messageOperations = defineOperations("Messages", [
	{
		method: "post",
		path: "/api/v1/messages",
		operationId: "publishMessage",
		summary: "Publish a message to the task waiting for it, or keep it until one waits",
		description:
			"The task that has waited longest for the name and correlation key takes it, with the payload as its result; when none waits, it is kept until `ttl` runs out and goes to the first that waits. Workflows whose start node waits for the name start a process each, once per messageId. A messageId sent again is the same message: it is answered with what became of the first.",
		scope: "messages:publish",
		body: publishMessageSchema,
		responses: responses({
			200: ok("Delivered, started processes, or (sent again) expired", messagePublishedSchema),
			202: ok("Kept: no task waits for it yet", messagePublishedSchema),
			403: notAdmin,
			422: "invalid_params: the body is not valid (details.issues)",
		}),
	},
]);

/** The answer: what became of the message, with links to the processes it reached. */
function answerOf(messageId: string, { box, started, refused }: Published, origin: string) {
	const status = box.status === "discarded" ? "started" : box.status;
	return {
		messageId,
		status,
		...(box.status === "delivered"
			? {
					processId: box.processId,
					taskId: box.taskId,
					url: processUrl(origin, box.processId),
				}
			: {}),
		...(box.status === "kept" || box.status === "expired" ? { keptUntil: box.expiresAt } : {}),
		started: started.map((s) => ({ ...s, url: processUrl(origin, s.processId) })),
		notStarted: refused,
		...(box.duplicate ? { duplicate: true } : {}),
	} as const;
}

export const messagesApi = new Hono<AppEnv>().post("/messages", async (c) => {
	const user = requireUser(c);
	const input = await readBody(c, publishMessageSchema);
	const messageId = input.messageId ?? crypto.randomUUID();
	const published = await publishAs(c.env, user, {
		messageId,
		name: input.name,
		correlationKey: input.correlationKey ?? "",
		payload: input.payload ?? null,
		...(input.ttl === undefined ? {} : { ttlSeconds: input.ttl }),
	});
	const answer = answerOf(messageId, published, originOf(c));
	return c.json(answer, answer.status === "kept" ? 202 : 200);
});
