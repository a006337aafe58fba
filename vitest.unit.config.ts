import { defineConfig } from "vitest/config";

// The engine and the task schemas, in plain Node: no workerd, milliseconds per test.
export default defineConfig({
	test: {
		include: ["tests/unit/**/*.test.ts"],
		environment: "node",
	},
});
