// The admin home page.
import { Hono } from "hono";
import { OverviewPage } from "../../../../templates/admin/overview.tsx";
import type { AppEnv } from "../../context.ts";
import { chromeOf } from "../../view-models/page-context.ts";
import { overviewCounts } from "./reads.ts";

export const overviewRoutes = new Hono<AppEnv>();

overviewRoutes.get("/", async (c) =>
	c.html(<OverviewPage chrome={chromeOf(c)} counts={await overviewCounts(c.env.DB)} />),
);
