// Bundles the bench Worker entry (Baton's worker + the `/__bench/*` driver) for Miniflare, with
// the settings wrangler uses for a module Worker.
import { build } from "esbuild";

/**
 * `entry`: the bench worker (Baton) or `workflows-entry.ts` (the Cloudflare Workflows peer).
 * `metered: false` builds Baton's bench worker without the billed-operation meter (meter.ts keeps
 * only the hand-over timings the latencies need): the speed runs use it, since the peer carries
 * no meter, and counting costs the worker about a tenth of its time.
 */
export async function bundleWorker(
	outfile: string,
	entry = "entry.ts",
	options: { metered?: boolean } = {},
): Promise<string> {
	const root = new URL("../../", import.meta.url).pathname;
	await build({
		entryPoints: [`${root}scripts/bench/worker/${entry}`],
		outfile,
		bundle: true,
		format: "esm",
		platform: "neutral",
		target: "es2022",
		conditions: ["workerd", "worker", "browser"],
		mainFields: ["browser", "module", "main"],
		external: ["cloudflare:*", "node:*"],
		tsconfig: `${root}tsconfig.json`,
		logLevel: "warning",
		define: { BENCH_METERED: String(options.metered ?? true) },
	});
	return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	console.log(
		await bundleWorker(
			process.argv[2] ?? "bench-results/raw/worker.js",
			process.argv[3] ?? "entry.ts",
		),
	);
}
