// The editor's words for a definition problem (D2): the engine's messages name the JSON format
// (`start: true`, `roles`); people editing with the form see the form's own words instead. The
// codes and the engine's messages stay as they are for the API, the CLI and the import report.
import type { Problem } from "../engine/index.ts";

const REWORDINGS: Record<string, [RegExp, string][]> = {
	NO_START_NODE: [
		[/is marked start: true/, "is a start node: tick “Start node” on the first step"],
	],
	NO_END_NODE: [[/is marked end: true/, "is an end node: tick “End node” on the last step"]],
	UNDECLARED_ROLE: [
		[/is not in roles$/, "is not one of this workflow’s roles: add it under Roles"],
	],
};

/** The problem's message in the editor's words (the engine's message when it needs none). */
export function problemWords(problem: Pick<Problem, "code" | "message">): string {
	let text = problem.message;
	for (const [pattern, words] of REWORDINGS[problem.code] ?? [])
		text = text.replace(pattern, words);
	return text;
}
