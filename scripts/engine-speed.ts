// How fast is the engine core alone? Runs the automated conference workflow through `step`
// (claim + complete per task, like the queue consumer would) N times and prints steps/s, where a
// step is one task completed and routed.   node --experimental-strip-types scripts/engine-speed.ts [N]
import { readFileSync } from "node:fs";
import type { Command, Effect } from "../src/engine/index.ts";
import { createProcess, mustCompile, step } from "../src/engine/index.ts";
import { defaultRegistry } from "../src/tasks/registry.ts";

const runs = Number(process.argv[2] ?? 2000);
const definition: unknown = JSON.parse(
	readFileSync(new URL("../src/workflows/conference-automated.json", import.meta.url), "utf8"),
);
const workflow = mustCompile(definition, defaultRegistry);

function runOnce(i: number): { steps: number; commands: number } {
	let now = 0;
	let state = createProcess(workflow, { id: `p${i}` }, { now });
	let steps = 0;
	let commands = 0;
	const queue: Effect[] = [];
	const send = (command: Command) => {
		commands += 1;
		const outcome = step(workflow, state, command, { now: ++now });
		if (!outcome.ok) throw new Error(`${command.type}: ${outcome.error.message}`);
		state = outcome.state;
		queue.push(...outcome.effects);
	};
	send({ type: "StartProcess" });
	for (let effect = queue.shift(); effect; effect = queue.shift()) {
		if (effect.type !== "DispatchTask") continue;
		send({ type: "ClaimTask", taskId: effect.taskId, attempt: effect.attempt });
		send({ type: "CompleteTask", taskId: effect.taskId, attempt: effect.attempt, result: null });
		steps += 1;
	}
	if (state.status !== "SUCCESS") throw new Error(`process ended ${state.status}`);
	return { steps, commands };
}

for (let i = 0; i < Math.min(200, runs); i++) runOnce(i);
const started = performance.now();
let steps = 0;
let commands = 0;
for (let i = 0; i < runs; i++) {
	const r = runOnce(i);
	steps += r.steps;
	commands += r.commands;
}
const seconds = (performance.now() - started) / 1000;
console.log(
	`${runs} conference processes, ${steps} steps (${steps / runs} per process), ${commands} commands in ${seconds.toFixed(2)} s`,
);
console.log(
	`${Math.round(steps / seconds)} steps/s, ${Math.round(commands / seconds)} commands/s, ${Math.round(runs / seconds)} processes/s (engine core only, Node ${process.version})`,
);
