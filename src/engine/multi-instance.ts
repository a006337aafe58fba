// M1: a multi-instance node runs once per item of a collection. Its body task holds the items and
// the results; its instances are ordinary tasks of the node with the item in their params. These
// are the pure decisions; creating and ending the tasks is in tasks.ts and routing.ts.
import { evaluateExpression } from "./expressions.ts";
import type { MultiInstanceDefinition } from "./model.ts";
import type { MultiInstanceState } from "./state.ts";

/** The most instances one node may run: past it the body fails rather than flood the process. */
export const MAX_INSTANCES = 1_000;

/** M1: the collection, evaluated over params and process; anything but a list is refused. */
export function collectionOf(
	mi: MultiInstanceDefinition,
	scope: Record<string, unknown>,
): { ok: true; items: unknown[] } | { ok: false; message: string } {
	const evaluated = evaluateExpression(mi.items, scope);
	if (!evaluated.ok) return { ok: false, message: `${mi.items}: ${evaluated.message}` };
	if (!Array.isArray(evaluated.value)) {
		return {
			ok: false,
			message: `${mi.items} gave ${JSON.stringify(evaluated.value)}, not a list`,
		};
	}
	if (evaluated.value.length > MAX_INSTANCES) {
		return {
			ok: false,
			message: `${mi.items} gave ${evaluated.value.length} items; a node runs at most ${MAX_INSTANCES} instances`,
		};
	}
	return { ok: true, items: evaluated.value };
}

/** M1: the task params of instance `index`: its item under `as` (default "item") and loopIndex. */
export function instanceParams(
	mi: MultiInstanceDefinition,
	item: unknown,
	index: number,
): Record<string, unknown> {
	return { [mi.as ?? "item"]: item, loopIndex: index };
}

/**
 * M1: whether the node is done: every instance ended, or the completion condition holds over
 * `completed`, `total`, `results` (item order, null where none yet), params and process. A
 * condition that fails to evaluate is false: the node waits for all instances.
 */
export function isComplete(
	mi: MultiInstanceDefinition,
	multi: MultiInstanceState,
	scope: Record<string, unknown>,
): boolean {
	if (multi.completed >= multi.items.length) return true;
	if (mi.completion === undefined) return false;
	// The scope's lazy members (process, variables) stay lazy: copied as getters, not read.
	const context = Object.defineProperties(
		{ completed: multi.completed, total: multi.items.length, results: multi.results },
		Object.getOwnPropertyDescriptors(scope),
	);
	const evaluated = evaluateExpression(mi.completion, context);
	return evaluated.ok && evaluated.value === true;
}
