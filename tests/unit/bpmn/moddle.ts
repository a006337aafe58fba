// Reading an exported file back with bpmn-moddle, for the export's tests: the file must be valid
// against the BPMN 2.0 meta-model (no warning), and its elements are found by id at any depth.
import { BpmnModdle, type ModdleElement } from "bpmn-moddle";
import { expect } from "vitest";
import { exportBpmn } from "../../../src/bpmn/export.ts";
import type { WorkflowDefinition } from "../../../src/engine/index.ts";

export interface Read {
	xml: string;
	definitions: ModdleElement;
	process: ModdleElement;
	/** The element with this id, in the process or any subprocess. */
	element(id: string): ModdleElement;
	/** A Baton attribute of an element. */
	baton(id: string, name: string): string | undefined;
}

export async function exportAndRead(def: WorkflowDefinition): Promise<Read> {
	const xml = await exportBpmn(def);
	const { rootElement: definitions, warnings } = await new BpmnModdle().fromXML(xml);
	expect(warnings).toEqual([]);
	const process = list(definitions.rootElements).find((e) => e.$type === "bpmn:Process");
	if (!process) throw new Error("no process");
	const element = (id: string) => {
		const found = flowElements(process).find((e) => e.id === id);
		if (!found) throw new Error(`no element ${id}`);
		return found;
	};
	return {
		xml,
		definitions,
		process,
		element,
		baton: (id, name) => element(id).$attrs[`baton:${name}`],
	};
}

/** Every flow element of a process or subprocess, those of subprocesses included. */
export function flowElements(container: ModdleElement): ModdleElement[] {
	return list(container.flowElements).flatMap((e) => [e, ...flowElements(e)]);
}

export function list(value: unknown): ModdleElement[] {
	return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

export function idOf(value: unknown): string | undefined {
	return (value as { id?: string } | undefined)?.id;
}

/** The body of a FormalExpression. */
export function body(value: unknown): string | undefined {
	return (value as { body?: string } | undefined)?.body;
}
