// The demo a first `npm start` shows: the shipped workflows published, and the conference's people.
// Idempotent, so it can run on every start; only when DEMO_SEED is "on" (never in production).
import { createMiddleware } from "hono/factory";
import { findPublishedVersion, publishWorkflow } from "../db/workflows.ts";
import type { AppEnv } from "../http/context.ts";
import { shippedWorkflows } from "../workflows/index.ts";
import { seedPeople } from "./seed-people.ts";

/** Publishes every shipped workflow that has no version yet, and seeds the demo people. */
export async function seedDemo(env: Env, now: number = Date.now()): Promise<void> {
	await seedPeople(env.DB, now);
	for (const def of shippedWorkflows) {
		if (await findPublishedVersion(env.DB, def.key)) continue;
		await publishWorkflow(env.DB, def, { now, publishedBy: "demo seed" });
	}
}

let seeded: Promise<void> | undefined;

/** Seeds once per isolate, before the first request is handled, when DEMO_SEED is "on". */
export function demoSeed() {
	return createMiddleware<AppEnv>(async (c, next) => {
		if (c.env.DEMO_SEED === "on") {
			seeded ??= seedDemo(c.env).catch((e) => {
				seeded = undefined;
				throw e;
			});
			await seeded;
		}
		await next();
	});
}
