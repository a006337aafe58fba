// /admin/outbox: the local outbox (templates/outbox.tsx). It exists only where sent mail is kept
// (outboxKept: a local run); anywhere else it is a 404 like any unknown page.
import { Hono } from "hono";
import { OutboxPage } from "../../../../templates/outbox.tsx";
import { outboxKept } from "../../../notifications/mail.ts";
import { latestSent } from "../../../notifications/outbox.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { chromeOf } from "../../view-models/page-context.ts";

/** The page shows the latest this many. */
const OUTBOX_PAGE_SIZE = 200;

export const outboxRoutes = new Hono<AppEnv>();

outboxRoutes.get("/outbox", async (c) => {
	if (!outboxKept(c.env as { MAIL_OUTBOX?: string; DEMO_SEED?: string })) {
		throw new AppError("not_found", "There is no such page.");
	}
	const entries = await latestSent(c.env.DB, OUTBOX_PAGE_SIZE);
	c.header("Cache-Control", "no-store");
	return c.html(<OutboxPage chrome={chromeOf(c)} entries={entries} />);
});
