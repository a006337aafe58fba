// The line of every element with an id, so problems can say where they are: bpmn-moddle keeps no
// positions, saxen (its own parser) reports them while it reads.
import { Parser } from "saxen";

export interface LineIndex {
	byId: Map<string, number>;
	error?: { message: string; line?: number };
}

export function lineIndex(xml: string): LineIndex {
	const byId = new Map<string, number>();
	const index: LineIndex = { byId };
	const parser = new Parser();
	parser.on("openTag", (_name, attrs, _decode, _selfClosing, context) => {
		const id = attrs().id;
		if (id !== undefined && !byId.has(id)) byId.set(id, context().line + 1);
	});
	parser.on("error", (error, context) => {
		index.error ??= { message: error.message, line: context().line + 1 };
	});
	try {
		parser.parse(xml);
	} catch (e) {
		index.error ??= { message: (e as Error).message };
	}
	return index;
}
