// Notifications (issue #17, docs/notifications.md): what each person chose, the notices waiting to
// go out (one row per person and event, so an event is recorded once), the deliveries that carried
// them (one mail and one webhook post per digest), the due-date events the sweep already noted, and
// the local outbox that `npm start` and the tests read instead of a real mailbox.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A person's choices; a person without a row gets the defaults (src/notifications/kinds.ts). */
export const notificationSettings = sqliteTable("notification_settings", {
	userId: text("user_id").primaryKey(),
	/** JSON: for each kind, the channels it goes to, e.g. `{"assigned":["email"],…}`. */
	choices: text("choices").notNull(),
	/** An incoming-webhook URL (Slack or Teams); null: no webhook channel. */
	webhookUrl: text("webhook_url"),
	updatedAt: integer("updated_at").notNull(),
});

/** One event for one person. The key makes a replayed event a no-op (INSERT OR IGNORE). */
export const notices = sqliteTable(
	"notices",
	{
		/** `<kind>:<task or comment>:<person>[:<due date>]`. */
		key: text("key").primaryKey(),
		userId: text("user_id").notNull(),
		kind: text("kind").notNull(),
		processId: text("process_id").notNull(),
		taskId: text("task_id"),
		/** One line for people, e.g. "Approve the claim (Expense claim 12) is assigned to you". */
		text: text("text").notNull(),
		/** The path the mail links to, e.g. `/tasks/p-…%2Ft3`. */
		path: text("path").notNull(),
		/** JSON array of the channels chosen for this kind when the notice was recorded. */
		channels: text("channels").notNull(),
		createdAt: integer("created_at").notNull(),
		/** The delivery that carries it; null while it waits for the next one. */
		deliveryId: text("delivery_id"),
	},
	(t) => [index("notices_pending_idx").on(t.userId, t.deliveryId)],
);

/** One digest for one person: the mail and the webhook post that carry its notices. */
export const notificationDeliveries = sqliteTable(
	"notification_deliveries",
	{
		id: text("id").primaryKey(),
		userId: text("user_id").notNull(),
		createdAt: integer("created_at").notNull(),
		notices: integer("notices").notNull(),
		/** Whether each channel is owed; a channel owed and not yet sent is retried. */
		wantsEmail: integer("wants_email", { mode: "boolean" }).notNull(),
		wantsWebhook: integer("wants_webhook", { mode: "boolean" }).notNull(),
		emailMessageId: text("email_message_id"),
		emailSentAt: integer("email_sent_at"),
		webhookSentAt: integer("webhook_sent_at"),
		/** A lease: the sender holding it until then; a redelivered flush waits it out. */
		sendingUntil: integer("sending_until"),
		attempts: integer("attempts").notNull().default(0),
		lastError: text("last_error"),
		/** Set when the queue gave up (dead letter): kept for the operator, never retried. */
		abandonedAt: integer("abandoned_at"),
	},
	(t) => [index("notification_deliveries_user_idx").on(t.userId, t.createdAt)],
);

/** A due-soon or overdue event the sweep has noted, so each is noted once per due date. */
export const dueNotices = sqliteTable("due_notices", {
	/** `<due-soon|overdue>:<task id>:<due date>`. */
	key: text("key").primaryKey(),
	createdAt: integer("created_at").notNull(),
});

/** Local only (MAIL_OUTBOX=keep or DEMO_SEED=on): every mail and webhook post that was sent. */
export const outboxMessages = sqliteTable(
	"outbox_messages",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		channel: text("channel").notNull(),
		recipient: text("recipient").notNull(),
		subject: text("subject").notNull(),
		body: text("body").notNull(),
		messageId: text("message_id"),
		/** `notification` or `email-task`. */
		source: text("source").notNull(),
		sentAt: integer("sent_at").notNull(),
	},
	(t) => [index("outbox_messages_sent_idx").on(t.sentAt)],
);
