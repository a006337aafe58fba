// Validates workflow definition files (JSON): every problem with its path; exits 1 on errors.
//   npm run validate -- <files…>        npm run validate -- --schema   (prints the JSON Schema)
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { compileWorkflow, type Problem, workflowDefinitionSchema } from "../src/engine/index.ts";
import { defaultRegistry } from "../src/tasks/registry.ts";

/** The JSON Schema of the format, as committed in docs/workflow.schema.json. */
export function workflowJsonSchema(): string {
	return `${JSON.stringify(z.toJSONSchema(workflowDefinitionSchema), null, "\t")}\n`;
}

/** Reads and parses a JSON file, or returns a one-line error. */
export function readJson(
	path: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
	let text: string;
	try {
		text = readFileSync(path, "utf8");
	} catch (error) {
		const code = (error as { code?: string }).code;
		return {
			ok: false,
			error:
				code === "ENOENT" ? `${path}: no such file` : `${path}: cannot read (${code ?? "error"})`,
		};
	}
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, error: `${path}: not valid JSON (${(error as Error).message})` };
	}
}

export function formatProblem(file: string, p: Problem): string {
	return `${file}: ${p.severity} ${p.code} at ${p.path || "(root)"}: ${p.message}`;
}

function main(args: string[]): number {
	if (args.includes("--schema")) {
		process.stdout.write(workflowJsonSchema());
		return 0;
	}
	if (args.length === 0) {
		process.stderr.write("usage: npm run validate -- <workflow.json…>\n");
		return 2;
	}
	let failed = false;
	for (const file of args) {
		const read = readJson(file);
		if (!read.ok) {
			process.stderr.write(`${read.error}\n`);
			failed = true;
			continue;
		}
		const result = compileWorkflow(read.value, defaultRegistry);
		for (const w of result.warnings) process.stdout.write(`${formatProblem(file, w)}\n`);
		if (result.ok) {
			process.stdout.write(`${file}: ok (${result.workflow.key} v${result.workflow.version})\n`);
		} else {
			for (const p of result.problems) process.stdout.write(`${formatProblem(file, p)}\n`);
			failed = true;
		}
	}
	return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = main(process.argv.slice(2));
}
