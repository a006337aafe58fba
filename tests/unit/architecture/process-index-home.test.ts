// The D1 process index has one home (issue #13): only src/db/process-index*.ts query the `processes`
// and `tasks` tables, and nothing under src/http or templates/ reaches D1 but through src/db's
// repositories. Biome's noRestrictedImports fences the imports too (biome.json); this test also
// catches SQL text, which no import rule sees.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { root, sourceFiles } from "./source-files.ts";

const files = sourceFiles().map((path) => ({
	path: relative(root, path),
	text: readFileSync(path, "utf8"),
}));

describe("the process index's home", () => {
	it("is the only place that queries the processes and tasks tables", () => {
		const query =
			/\b(?:from|join)\((?:processes|tasks)\b|\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(?:processes|tasks)\b/;
		const home = /^src\/db\/(?:process-index[\w-]*\.ts|schema\/)/;
		const elsewhere = files.filter((f) => !home.test(f.path) && query.test(f.text));
		expect(elsewhere.map((f) => f.path)).toEqual([]);
	});

	it("is reached from pages, the API and templates without drizzle or D1's tables", () => {
		const forbidden = /from\s+["'](?:drizzle-orm(?:\/[^"']*)?|[^"']*\/db\/schema\/[^"']*)["']/;
		const fenced = files.filter(
			(f) => /^(?:src\/http|templates)\//.test(f.path) && forbidden.test(f.text),
		);
		expect(fenced.map((f) => f.path)).toEqual([]);
	});
});
