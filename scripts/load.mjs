// `npm run load`: a bounded load and soak run against `npm start` on 127.0.0.1 (scripts/bench/load.ts).
import { spawnSync } from "node:child_process";

const main = new URL("./bench/load.ts", import.meta.url).pathname;
const { status } = spawnSync(
	process.execPath,
	["--experimental-strip-types", "--no-warnings", main, ...process.argv.slice(2)],
	{ stdio: "inherit" },
);
process.exit(status ?? 1);
