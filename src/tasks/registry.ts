// The task type registry: the catalog the engine compiles against (external types included, K1),
// and the runnable task types the queue consumer looks up by name.
import type { TaskCatalog } from "../engine/index.ts";
import { add } from "./add.ts";
import { ask } from "./ask.ts";
import type { TaskType } from "./define-task.ts";
import { dummy } from "./dummy.ts";
import { email } from "./email.ts";
import { error } from "./error.ts";
import { event } from "./event.ts";
import { http } from "./http.ts";
import { message } from "./message.ts";
import { question } from "./question.ts";
import { scope } from "./scope.ts";
import { send } from "./send.ts";
import { subprocess } from "./subprocess.ts";
import { wait } from "./wait.ts";

export interface TaskRegistry extends TaskCatalog {
	get(name: string): TaskType | undefined;
	list(): TaskType[];
	/**
	 * The task type with its run and hooks, for the queue consumer; never an external type (K1),
	 * whose tasks are offered to its workers, not sent to the queue.
	 */
	getRunnable(name: string): TaskType | undefined;
}

/** A registry over `types`; a name used twice is a programming error. */
export function createRegistry(types: readonly TaskType[]): TaskRegistry {
	const byName = new Map<string, TaskType>();
	for (const type of types) {
		if (byName.has(type.name)) throw new Error(`task type "${type.name}" is registered twice`);
		byName.set(type.name, type);
	}
	return {
		get: (name) => byName.get(name),
		list: () => [...byName.values()],
		getRunnable: (name) => {
			const type = byName.get(name);
			return type?.mode === "external" ? undefined : type;
		},
	};
}

export const builtinTaskTypes: readonly TaskType[] = [
	dummy,
	ask,
	http,
	wait,
	subprocess,
	event,
	add,
	question,
	message,
	send,
	error,
	scope,
	email,
];

export const defaultRegistry: TaskRegistry = createRegistry(builtinTaskTypes);

/** The catalog the adapters compile workflows against (the built-ins). */
export const taskCatalog: TaskRegistry = defaultRegistry;
