// Copies the browser assets Baton serves from its own origin (htmx and its SSE extension) out of
// node_modules into public/vendor. Run by wrangler's build step and before the workers tests.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const htmxDist = join(dirname(require.resolve("htmx.org/package.json")), "dist");
const out = join(root, "public", "vendor");
mkdirSync(out, { recursive: true });
for (const [from, to] of [
	["htmx.min.js", "htmx.min.js"],
	["ext/hx-sse.min.js", "hx-sse.min.js"],
]) {
	copyFileSync(join(htmxDist, from), join(out, to));
}
