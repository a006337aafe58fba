import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { workflowDefinitionSchema } from "../../../src/engine/index.ts";

describe("docs/workflow.schema.json", () => {
	it("matches the schema generated from workflowDefinitionSchema (regenerate: npm run validate -- --schema)", () => {
		const committed: unknown = JSON.parse(
			readFileSync(new URL("../../../docs/workflow.schema.json", import.meta.url), "utf8"),
		);
		expect(committed).toEqual(z.toJSONSchema(workflowDefinitionSchema));
	});
});
