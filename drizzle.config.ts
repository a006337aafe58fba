import { defineConfig } from "drizzle-kit";

// Migrations are generated here and applied only by `wrangler d1 migrations apply` (flat folder).
export default defineConfig({
	dialect: "sqlite",
	schema: "./src/db/schema/index.ts",
	out: "./migrations",
});
