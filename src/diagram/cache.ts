// Layouts depend only on the definition, and published versions never change (D3): an isolate keeps
// the last few it computed, so a live page re-rendering on every change does not re-run dagre.
import type { WorkflowDefinition } from "../engine/index.ts";
import { authoredLayout } from "./authored-layout.ts";
import { type DiagramLayout, layoutWorkflow } from "./layout.ts";
import { storedLayoutOf } from "./stored-layout.ts";
import { type DiagramProcess, type DiagramView, diagramView } from "./view.ts";

const MAX_LAYOUTS = 64;
const layouts = new Map<string, DiagramLayout>();

/**
 * The layout of a definition: the author's drawing when it keeps one that draws every node (from a
 * BPMN file), else dagre's. A published version (with `version`) is computed once per isolate.
 */
export function layoutFor(def: WorkflowDefinition): DiagramLayout {
	if (def.version === undefined) return computeLayout(def);
	const key = `${def.key}@${def.version}`;
	const cached = layouts.get(key);
	if (cached) {
		// Most recently used last, so the oldest is evicted first.
		layouts.delete(key);
		layouts.set(key, cached);
		return cached;
	}
	const layout = computeLayout(def);
	layouts.set(key, layout);
	if (layouts.size > MAX_LAYOUTS) layouts.delete(layouts.keys().next().value as string);
	return layout;
}

function computeLayout(def: WorkflowDefinition): DiagramLayout {
	const stored = storedLayoutOf(def);
	return stored ? authoredLayout(def, stored) : layoutWorkflow(def);
}

/**
 * The diagram of a workflow, with the state of a process when one is given, its timers and due
 * dates worded against `now` (the request's time).
 */
export function diagramFor(
	def: WorkflowDefinition,
	process?: DiagramProcess,
	waiting?: Record<string, string[]>,
	now?: number,
): DiagramView {
	return diagramView(def, layoutFor(def), process, waiting, now);
}
