// `npm run bench`: Baton end to end (Miniflare, in-worker driver), Baton's engine core alone and
// the peer bpmn-engine, interleaved on the same workloads. The runner is TypeScript; this launcher
// only gives Node the flag to run it. Options: scripts/bench/main.ts.
import { spawnSync } from "node:child_process";

const main = new URL("./bench/main.ts", import.meta.url).pathname;
const { status } = spawnSync(
	process.execPath,
	["--experimental-strip-types", "--no-warnings", main, ...process.argv.slice(2)],
	{ stdio: "inherit" },
);
process.exit(status ?? 1);
