// What an import says about a file: the problems that refuse it and the warnings that name every
// meaning it loses, each with the element, its id and its line, so the author can find it.
import type { ModdleElement } from "bpmn-moddle";
import { localName, xmlName } from "./moddle-access.ts";
import type { LineIndex } from "./xml-lines.ts";

export interface BpmnProblem {
	code: string;
	message: string;
	/** The BPMN element, e.g. `bpmn:boundaryEvent`. */
	element?: string;
	id?: string;
	line?: number;
	severity: "error" | "warning";
}

export class ImportReport {
	readonly problems: BpmnProblem[] = [];
	readonly warnings: BpmnProblem[] = [];

	private readonly lines: LineIndex;

	constructor(lines: LineIndex) {
		this.lines = lines;
	}

	/** The element refuses the import: Baton cannot execute what it means. */
	refuse(el: ModdleElement, code: string, why: string): void {
		this.problems.push({
			...this.where(el),
			code,
			message: `${this.label(el)}: ${why}`,
			severity: "error",
		});
	}

	/** The element imports, and loses (or changes) some meaning: said, never silent. */
	warn(el: ModdleElement, code: string, message: string): void {
		this.warnings.push({
			...this.where(el),
			code,
			message: `${this.label(el)}: ${message}`,
			severity: "warning",
		});
	}

	/** A problem of the whole file, with no element to point at. */
	refuseFile(code: string, message: string, line?: number): void {
		this.problems.push({
			code,
			message,
			severity: "error",
			...(line === undefined ? {} : { line }),
		});
	}

	warnFile(code: string, message: string): void {
		this.warnings.push({ code, message, severity: "warning" });
	}

	get refused(): boolean {
		return this.problems.length > 0;
	}

	/** `serviceTask 'charge' "Charge the card" (line 12)`: what an author searches the file for. */
	label(el: ModdleElement): string {
		const line = this.lineOf(el);
		const name =
			typeof el.name === "string" && el.name.trim() !== "" ? ` "${oneLine(el.name)}"` : "";
		const id = el.id ? ` '${el.id}'` : "";
		return `${localName(el.$type)}${id}${name}${line === undefined ? "" : ` (line ${line})`}`;
	}

	lineOf(el: ModdleElement): number | undefined {
		return el.id ? this.lines.byId.get(el.id) : undefined;
	}

	private where(el: ModdleElement): { element: string; id?: string; line?: number } {
		const out: { element: string; id?: string; line?: number } = { element: xmlName(el.$type) };
		if (el.id) out.id = el.id;
		const line = this.lineOf(el);
		if (line !== undefined) out.line = line;
		return out;
	}
}

/** A name as one line: modelers break long names over several. */
export function oneLine(text: string): string {
	return text.replace(/\s+/g, " ").trim();
}
