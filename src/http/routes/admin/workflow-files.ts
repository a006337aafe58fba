// Workflows as files: the JSON format (docs/defining-workflows.md) and BPMN 2.0, downloaded with a
// file name that says which workflow and version they are.
import type { WorkflowDefinition } from "../../../engine/index.ts";
import type { AdminContext } from "./guard.ts";

export const workflowPath = (key: string) => `/admin/workflows/${encodeURIComponent(key)}`;

/** The definition in the JSON format, pretty-printed, as an attachment. */
export function downloadJson(c: AdminContext, def: WorkflowDefinition, filename: string): Response {
	const { version: _version, ...rest } = def;
	c.header("Content-Disposition", `attachment; filename="${safeFileName(filename)}"`);
	return c.body(`${JSON.stringify(rest, null, "\t")}\n`, 200, {
		"Content-Type": "application/json; charset=utf-8",
	});
}

export function downloadBpmn(c: AdminContext, xml: string, filename: string): Response {
	c.header("Content-Disposition", `attachment; filename="${safeFileName(filename)}"`);
	return c.body(xml, 200, { "Content-Type": "application/xml; charset=utf-8" });
}

/** Keys are already safe (letters, digits, _ . -); this keeps a header injection impossible anyway. */
function safeFileName(name: string): string {
	return name.replace(/[^A-Za-z0-9_.-]/g, "_");
}
