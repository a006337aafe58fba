// Expressions of a BPMN file as Baton's FEEL: conditions of sequence flows and the expressions in
// settings (timers, collections, correlation keys). Camunda 8 writes FEEL (`=amount > 1000`), kept
// as it is; Camunda 7 writes JUEL (`${amount > 1000}`) and other tools XPath or bare expressions:
// their simple forms are translated (juel.ts), the rest refused with the reason.
import { expressionSyntaxError } from "../engine/index.ts";
import { juelBody, simpleExpressionToFeel, UnsupportedExpression } from "./juel.ts";
import { joinSpacedNames } from "./variable-names.ts";

export type Translated =
	| {
			ok: true;
			/** The FEEL, without `=`. */
			feel: string;
			/** As Baton writes it: `= FEEL`, or the text as written when it was FEEL already. */
			expression: string;
			/** Names of several words joined into one (`Service Level` → `Service_Level`). */
			joined: string[];
	  }
	| { ok: false; why: string };

type Dialect = "feel" | "xpath" | "juel" | "script" | "unknown";

/** What a `language` attribute (on the expression or the definitions) says the text is. */
function dialectOf(language: string | undefined): Dialect {
	if (!language) return "unknown";
	const l = language.toLowerCase();
	if (l.includes("feel")) return "feel";
	if (l.includes("xpath")) return "xpath";
	if (/juel|\/el\b|el$|camunda/.test(l)) return "juel";
	if (/javascript|ecmascript|groovy|python|ruby|mvel|spel|java\b|\bjs\b/.test(l)) return "script";
	return "unknown";
}

/** The FEEL of a condition body (without the leading `=`), or why it cannot be read. */
export function conditionToFeel(body: string, language: string | undefined): Translated {
	const dialect = dialectOf(language);
	if (dialect === "script") {
		return { ok: false, why: `a ${language} script; Baton's conditions are FEEL` };
	}
	if (body.startsWith("=")) return feel(body.slice(1), body);
	const juel = juelBody(body);
	if (juel !== undefined) return simple(juel, "JUEL");
	if (dialect === "feel") return feel(body);
	if (dialect === "unknown") {
		const asFeel = feel(body);
		if (asFeel.ok) return asFeel;
	}
	return simple(body, dialect === "xpath" ? "XPath" : "the expression");
}

/**
 * A setting written as an expression (`=documents`, `${duration}`) as `= FEEL`; `literal` when the
 * text is a plain value (`PT2H`, `orders`), left to the caller to read.
 */
export function settingToFeel(text: string): Translated | { ok: true; literal: string } {
	const trimmed = text.trim();
	if (trimmed.startsWith("=")) return feel(trimmed.slice(1), trimmed);
	const juel = juelBody(trimmed);
	if (juel !== undefined) return simple(juel, "JUEL");
	return { ok: true, literal: trimmed };
}

/** FEEL text; `written` is the original `=…` text, kept when nothing in it had to change. */
function feel(text: string, written?: string): Translated {
	const { feel, joined } = joinSpacedNames(text.trim());
	if (feel === "") return { ok: false, why: "the expression is empty" };
	const problem = expressionSyntaxError(`= ${feel}`);
	if (problem !== null) return { ok: false, why: problem };
	const expression = written !== undefined && joined.length === 0 ? written : `= ${feel}`;
	return { ok: true, feel, expression, joined };
}

function simple(text: string, what: string): Translated {
	try {
		const translated = simpleExpressionToFeel(text);
		const problem = expressionSyntaxError(`= ${translated.feel}`);
		if (problem !== null) return { ok: false, why: problem };
		return { ok: true, ...translated, expression: `= ${translated.feel}` };
	} catch (e) {
		if (!(e instanceof UnsupportedExpression)) throw e;
		return { ok: false, why: `${what} is not in the simple forms Baton translates: ${e.message}` };
	}
}
