// Liveness: answers without touching storage, for load balancers and the local start script.
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";

export const healthRoutes = new Hono<AppEnv>().get("/health", (c) => c.json({ ok: true }));
