// The TypeScript sources of src/ and templates/ (declaration files left out), for the tests that
// read the code's structure.
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../../..");

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return filesUnder(path);
		return /\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
	});
}

/** Absolute paths of every source file of src/ and templates/. */
export function sourceFiles(): string[] {
	return [...filesUnder(join(root, "src")), ...filesUnder(join(root, "templates"))];
}
