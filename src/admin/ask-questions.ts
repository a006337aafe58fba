// The questions of an `ask` node as a form in the workflow editor instead of raw JSON: one row per
// question (its name, label, type, whether required, options, help, bounds, currency and the field
// it depends on), with blank rows to add more. Reading the rows back gives the `questions` object
// the ask task type takes; a row whose name is cleared is removed.
import { FIELD_TYPES, type FieldSpec, fieldSpecSchema } from "../engine/index.ts";

/** Blank rows offered after the questions, for new ones (without JS, save to get more). */
export const NEW_QUESTION_ROWS = 2;

export interface QuestionRow {
	name: string;
	label: string;
	type: string;
	required: boolean;
	/** Comma-separated. */
	options: string;
	help: string;
	min: string;
	max: string;
	currency: string;
	/** The field it is shown for, and the value it waits for ("" for any value). */
	showIf: string;
	showIfEquals: string;
}

export const QUESTION_TYPES: readonly string[] = FIELD_TYPES;

const blank: QuestionRow = {
	name: "",
	label: "",
	type: "text",
	required: false,
	options: "",
	help: "",
	min: "",
	max: "",
	currency: "",
	showIf: "",
	showIfEquals: "",
};

/** The rows of the questions (a value that is not an object of questions gives none). */
export function questionRows(questions: unknown): QuestionRow[] {
	const rows: QuestionRow[] = [];
	if (questions && typeof questions === "object" && !Array.isArray(questions)) {
		for (const [name, raw] of Object.entries(questions as Record<string, unknown>)) {
			const q = (raw && typeof raw === "object" ? raw : {}) as Partial<FieldSpec>;
			rows.push({
				name,
				label: q.label ?? "",
				type: q.type ?? "text",
				required: q.required === true,
				options: (q.options ?? []).join(", "),
				help: q.help ?? "",
				min: q.min === undefined ? "" : String(q.min),
				max: q.max === undefined ? "" : String(q.max),
				currency: q.currency ?? "",
				showIf: q.showIf?.field ?? "",
				showIfEquals: q.showIf?.equals === undefined ? "" : String(q.showIf.equals),
			});
		}
	}
	for (let i = 0; i < NEW_QUESTION_ROWS; i++) rows.push({ ...blank });
	return rows;
}

/** The posted name of one cell of row `i`. */
export function cellName(i: number, cell: keyof QuestionRow): string {
	return `param.questions.${i}.${cell}`;
}

export interface ReadQuestions {
	questions: Record<string, FieldSpec>;
	/** By posted cell name. */
	errors: Record<string, string>;
}

/** Reads the rows back; each question is checked as the engine will check it (fieldSpecSchema). */
export function readQuestionRows(posted: Record<string, string | undefined>): ReadQuestions | null {
	const count = Number(posted["param.questions.count"]);
	if (!Number.isInteger(count) || count < 0 || count > 200) return null;
	const questions: Record<string, FieldSpec> = {};
	const errors: Record<string, string> = {};
	const rowOf = new Map<string, number>();
	const cell = (i: number, c: keyof QuestionRow) => (posted[cellName(i, c)] ?? "").trim();
	for (let i = 0; i < count; i++) {
		const name = cell(i, "name");
		if (name === "") continue;
		if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) {
			errors[cellName(i, "name")] =
				`“${name}”: a name starts with a letter, then letters, digits or _.`;
			continue;
		}
		if (questions[name]) {
			errors[cellName(i, "name")] = `“${name}” is already a question.`;
			continue;
		}
		const spec: Record<string, unknown> = { label: cell(i, "label") || name };
		const type = cell(i, "type");
		if (type && type !== "text") spec.type = type;
		if (posted[cellName(i, "required")] === "true") spec.required = true;
		const options = cell(i, "options")
			.split(",")
			.map((o) => o.trim())
			.filter(Boolean);
		if (options.length > 0) spec.options = options;
		if (cell(i, "help")) spec.help = cell(i, "help");
		for (const bound of ["min", "max"] as const) {
			const text = cell(i, bound);
			if (text === "") continue;
			const n = Number(text);
			if (Number.isFinite(n)) spec[bound] = n;
			else errors[cellName(i, bound)] = `“${name}”: ${bound} must be a number.`;
		}
		if (cell(i, "currency")) spec.currency = cell(i, "currency").toUpperCase();
		if (cell(i, "showIf")) {
			const equals = cell(i, "showIfEquals");
			spec.showIf = {
				field: cell(i, "showIf"),
				...(equals === "" ? {} : { equals: equals === "true" ? true : equals }),
			};
		}
		const checked = fieldSpecSchema.safeParse(spec);
		if (!checked.success) {
			const issue = checked.error.issues[0];
			const where = issue?.path.join(".") || "question";
			errors[cellName(i, "name")] = `“${name}”: ${where}: ${issue?.message ?? "not valid"}.`;
			continue;
		}
		if ((type === "select" || type === "multiselect") && options.length === 0) {
			errors[cellName(i, "options")] = `“${name}”: list the options, separated by commas.`;
			continue;
		}
		questions[name] = checked.data;
		rowOf.set(name, i);
	}
	for (const [name, q] of Object.entries(questions)) {
		if (q.showIf && !questions[q.showIf.field]) {
			errors[cellName(rowOf.get(name) ?? 0, "showIf")] =
				`“${name}” depends on “${q.showIf.field}”, which is not a question.`;
		}
	}
	return { questions, errors };
}
