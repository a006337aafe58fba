// The modules of src/ and templates/ import one another without cycles: a cycle makes the order of
// module initialisation matter and hides which layer depends on which (issue #13). Imports are
// read from the source text (static `import … from` and `export … from`, type-only ones included,
// since a type cycle is a layering cycle too).
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { root, sourceFiles } from "./source-files.ts";

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["'](\.{1,2}\/[^"']+)["']/g;

function importsOf(file: string): string[] {
	const text = readFileSync(file, "utf8");
	return [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1] as string));
}

/** Every cycle found by a depth-first walk, each as the list of files in it. */
function cycles(files: string[]): string[][] {
	const graph = new Map(files.map((f) => [f, importsOf(f).filter((to) => files.includes(to))]));
	const state = new Map<string, "open" | "done">();
	const stack: string[] = [];
	const found: string[][] = [];
	const visit = (file: string) => {
		state.set(file, "open");
		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === "open") found.push(stack.slice(stack.indexOf(next)));
			else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(file, "done");
	};
	for (const file of files) if (!state.has(file)) visit(file);
	return found.map((c) => c.map((f) => relative(root, f)));
}

describe("module structure", () => {
	it("has no import cycles in src/ and templates/", () => {
		const files = sourceFiles();
		expect(files.length).toBeGreaterThan(100);
		expect(cycles(files)).toEqual([]);
	});
});
