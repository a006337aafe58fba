// Webhook triggers (the doors other systems knock on), their rotatable secrets, the log of every
// delivery (accepted or refused, with the raw body kept for replay), and the rate counters of the
// outside doors (webhook triggers and API tokens).
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const webhookTriggers = sqliteTable("webhook_triggers", {
	/** The URL segment: `/hooks/<key>`. */
	key: text("key").primaryKey(),
	name: text("name").notNull(),
	/** "start" starts a process of the workflow; "event" completes a waiting `event` task. */
	kind: text("kind").notNull(),
	workflowKey: text("workflow_key").notNull(),
	/** "standard" (Standard Webhooks), "github" or "jwt". */
	scheme: text("scheme").notNull(),
	/** For "jwt": the one algorithm accepted, the audience required, the issuer (optional). */
	jwtAlgorithm: text("jwt_algorithm"),
	jwtAudience: text("jwt_audience"),
	jwtIssuer: text("jwt_issuer"),
	/** param name → where its value comes from (src/webhooks/mapping.ts), re-validated on use. */
	mapping: text("mapping", { mode: "json" }).notNull(),
	/** For "start": the process priority, null to inherit the workflow's. */
	priority: integer("priority"),
	enabled: integer("enabled", { mode: "boolean" }).notNull(),
	rateLimitPerMinute: integer("rate_limit_per_minute").notNull(),
	createdAt: integer("created_at").notNull(),
	updatedAt: integer("updated_at").notNull(),
	createdBy: text("created_by"),
});

export const webhookSecrets = sqliteTable(
	"webhook_secrets",
	{
		id: text("id").primaryKey(),
		triggerKey: text("trigger_key")
			.notNull()
			.references(() => webhookTriggers.key, { onDelete: "cascade" }),
		/**
		 * What verifies a delivery: a `whsec_` secret, a GitHub or HS256 shared secret, or the sender's
		 * public JWKS. HMAC needs the secret itself, so it is kept (readable by the Worker only) and
		 * shown to an admin once, when it is made.
		 */
		material: text("material").notNull(),
		/** The last characters, to tell secrets apart in the admin pages. */
		hint: text("hint").notNull(),
		createdAt: integer("created_at").notNull(),
		/** Null while it is the current secret; set by a rotation to the end of the overlap. */
		expiresAt: integer("expires_at"),
		createdBy: text("created_by"),
	},
	(t) => [index("webhook_secrets_trigger_idx").on(t.triggerKey, t.createdAt)],
);

export const webhookDeliveries = sqliteTable(
	"webhook_deliveries",
	{
		id: text("id").primaryKey(),
		triggerKey: text("trigger_key").notNull(),
		/** The sender's delivery id (webhook-id, X-GitHub-Delivery, jti); null when it sent none. */
		deliveryId: text("delivery_id"),
		/** What de-duplicates it (signed): the id, or the body's SHA-256 for GitHub. */
		dedupeKey: text("dedupe_key"),
		receivedAt: integer("received_at").notNull(),
		/** "accepted", "duplicate" (a redelivery answered like the first) or "refused". */
		status: text("status").notNull(),
		httpStatus: integer("http_status").notNull(),
		/** The error code of a refusal (`unauthorized`, `invalid_params`…). */
		code: text("code"),
		/** Why, for the admin: `bad_signature`, `timestamp_too_old`, the mapping problems… */
		reason: text("reason"),
		processId: text("process_id"),
		taskId: text("task_id"),
		/** The signature headers as received (JSON), so that a replay re-verifies the same request. */
		headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull(),
		/** The raw body, base64 (exact bytes); null when it was too large to read. */
		body: text("body"),
		bodySize: integer("body_size").notNull(),
		/** Set on a replay: the refused delivery it replays, and the admin who asked. */
		replayOf: text("replay_of"),
		replayedBy: text("replayed_by"),
	},
	(t) => [
		index("webhook_deliveries_trigger_idx").on(t.triggerKey, t.receivedAt),
		// One accepted delivery per dedupe key: the first copy claims it, later ones are duplicates.
		uniqueIndex("webhook_deliveries_accepted_idx")
			.on(t.triggerKey, t.dedupeKey)
			.where(sql`status = 'accepted'`),
	],
);

export const rateCounters = sqliteTable("rate_counters", {
	/** "hook:<trigger key>" or "token:<API token id>". */
	key: text("key").primaryKey(),
	/** Start of the current fixed window, epoch ms. */
	windowStart: integer("window_start").notNull(),
	count: integer("count").notNull(),
});
