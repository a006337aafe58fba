// Where a model leaves a decision to people without saying how it is made. An exclusive gateway
// whose routes carry only names ("Yes", "No") is a question to a person, answered by choosing a
// route. A user task whose form Baton cannot read (a form key of another system, no form at all)
// asks for the variables the conditions right after it read, since that is what its form set.
import type { ModdleElement } from "bpmn-moddle";
import {
	FEEL_KEYWORDS,
	type FieldSpec,
	type FieldType,
	type NodeDefinition,
} from "../engine/index.ts";
import type { ImportContext } from "./import-context.ts";
import { oneLine } from "./import-report.ts";
import { refElement } from "./moddle-access.ts";

/** The field a decision gateway asks; its routes' conditions read it from the gateway's result. */
const DECISION_FIELD = "decision";

/**
 * Makes `node` (an exclusive gateway with unconditioned routes) ask a person which route to take:
 * a select of the routes' names (else of where they lead). Returns each route's condition.
 */
export function askForRoute(
	el: ModdleElement,
	node: NodeDefinition,
	routes: readonly ModdleElement[],
	ctx: ImportContext,
): string[] {
	const options: string[] = [];
	for (const flow of routes) {
		const target = refElement(flow.targetRef);
		const base =
			[flow.name, target?.name, target?.id, flow.id]
				.map((t) => (typeof t === "string" ? oneLine(t) : ""))
				.find((t) => t !== "") ?? "route";
		let option = base.slice(0, 100);
		for (let n = 2; options.includes(option); n++) option = `${base.slice(0, 95)} (${n})`;
		options.push(option);
	}
	node.task = "ask";
	const question: FieldSpec = {
		label: el.name?.trim() ? oneLine(el.name).slice(0, 200) : "Which way?",
		type: "select",
		options,
		required: true,
	};
	node.params = { questions: { [DECISION_FIELD]: question } };
	ctx.decisions.add(node.key);
	ctx.report.warn(
		el,
		"DECISION_BY_PERSON",
		`its routes have no conditions: a person chooses one (${options.join(", ")})`,
	);
	return options.map((o) => `= result.${DECISION_FIELD} = ${JSON.stringify(o)}`);
}

/**
 * Gives each user task with no readable form the questions its next conditions need: the variables
 * read by the conditions of its own routes and of a gateway right after it, which no form asks.
 */
export function askForReadVariables(ctx: ImportContext): void {
	for (const { el, node, graph } of ctx.formless) {
		const conditions: string[] = [];
		const collect = (from: string) => {
			for (const t of graph.transitions) {
				if (t.from === from && typeof t.condition === "string") conditions.push(t.condition);
			}
		};
		collect(node.key);
		for (const t of graph.transitions.filter((t) => t.from === node.key)) {
			const next = graph.nodes.find((n) => n.key === t.to);
			if (next?.task === "dummy" && next.split !== undefined) collect(next.key);
		}
		const reads = new Map<string, Read>();
		for (const condition of conditions) mergeReads(reads, variablesRead(condition));
		const questions: Record<string, FieldSpec> = {};
		for (const [name, read] of reads) {
			if (ctx.askedNames.has(name)) continue;
			ctx.askedNames.add(name);
			questions[name] = questionFor(name, read);
		}
		const names = Object.keys(questions);
		if (names.length === 0) continue;
		node.task = "ask";
		node.params = { questions };
		ctx.report.warn(
			el,
			"QUESTIONS_FROM_CONDITIONS",
			`it has no form Baton can read; it asks for ${names.join(", ")}, which the conditions after it read`,
		);
	}
}

interface Read {
	type: FieldType;
	options: string[];
}

/** Names a condition uses that are not process variables: FEEL's words and the reserved scope. */
const NOT_VARIABLES = new Set([...FEEL_KEYWORDS, "result", "params", "process"]);

const TOKENS = /"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|<=|>=|!=|[=<>().,]|\S/g;
const COMPARISON = new Set(["=", "!=", "<", ">", "<=", ">="]);

/** The process variables a FEEL expression names (not `result`, `params`, `process`). */
export function variablesNamed(feel: string): Map<string, FieldType> {
	return new Map([...variablesRead(feel, true)].map(([name, read]) => [name, read.type]));
}

/** The process variables a FEEL condition reads, with what kind of value it compares them to. */
function variablesRead(condition: string, withObjects = false): Map<string, Read> {
	const tokens = condition.replace(/^\s*=/, "").match(TOKENS) ?? [];
	const reads = new Map<string, Read>();
	tokens.forEach((t, i) => {
		if (!/^[A-Za-z_]/.test(t) || NOT_VARIABLES.has(t)) return;
		if (tokens[i - 1] === "." || tokens[i + 1] === "(") return;
		if (tokens[i + 1] === ".") {
			if (withObjects) mergeReads(reads, new Map([[t, { type: "json", options: [] }]]));
			return;
		}
		const after = COMPARISON.has(tokens[i + 1] ?? "") ? tokens[i + 2] : undefined;
		const before = COMPARISON.has(tokens[i - 1] ?? "") ? tokens[i - 2] : undefined;
		mergeReads(reads, new Map([[t, readOf(after ?? before)]]));
	});
	return reads;
}

/** What a variable compared with `value` holds: a choice, a number, or (bare) a yes/no. */
function readOf(value: string | undefined): Read {
	if (value?.startsWith('"')) return { type: "select", options: [JSON.parse(value) as string] };
	if (value !== undefined && /^\d/.test(value)) return { type: "number", options: [] };
	if (value === undefined || value === "true" || value === "false") {
		return { type: "checkbox", options: [] };
	}
	return { type: "text", options: [] };
}

function mergeReads(into: Map<string, Read>, from: Map<string, Read>): void {
	for (const [name, read] of from) {
		const known = into.get(name);
		if (!known) into.set(name, { ...read, options: [...read.options] });
		else if (known.type !== read.type) into.set(name, { type: "text", options: [] });
		else for (const o of read.options) if (!known.options.includes(o)) known.options.push(o);
	}
}

function questionFor(name: string, read: Read): FieldSpec {
	const words = name.replace(/_/g, " ");
	const spec: FieldSpec = {
		label: `${words.charAt(0).toUpperCase()}${words.slice(1)}`.slice(0, 200),
	};
	if (read.type !== "text") spec.type = read.type;
	if (read.type === "select") {
		spec.options = read.options.slice(0, 50);
		spec.required = true;
	}
	return spec;
}
