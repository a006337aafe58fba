// The simple expressions modelers write in conditions, read into FEEL: Camunda 7's JUEL
// (`${amount > 1000}`, `${!approved}`, `${x == 'a' && y ne 'b'}`), the BPMN spec's XPath
// (`bpmn:getDataObject('approved')`, `true()`) and the same forms written bare. Comparisons, and /
// or / not, arithmetic, literals, variable paths; anything else (method calls, ternaries, indexes)
// is refused with what it was, never guessed at.
import { variableName } from "./variable-names.ts";

export class UnsupportedExpression extends Error {}

type Node =
	| { kind: "literal"; feel: string }
	| { kind: "name"; feel: string }
	| { kind: "not"; operand: Node }
	| { kind: "negate"; operand: Node }
	| { kind: "binary"; op: BinaryOp; left: Node; right: Node };

type BinaryOp = "or" | "and" | "=" | "!=" | "<" | ">" | "<=" | ">=" | "+" | "-" | "*" | "/";

const PRECEDENCE: Record<BinaryOp, number> = {
	or: 1,
	and: 2,
	"=": 3,
	"!=": 3,
	"<": 3,
	">": 3,
	"<=": 3,
	">=": 3,
	"+": 4,
	"-": 4,
	"*": 5,
	"/": 5,
};

/** JUEL's word operators and the symbols both dialects write, as FEEL's operators. */
const OPERATORS: Record<string, BinaryOp> = {
	"||": "or",
	or: "or",
	"&&": "and",
	and: "and",
	"==": "=",
	"=": "=",
	eq: "=",
	"!=": "!=",
	ne: "!=",
	"<": "<",
	lt: "<",
	">": ">",
	gt: ">",
	"<=": "<=",
	le: "<=",
	">=": ">=",
	ge: ">=",
	"+": "+",
	"-": "-",
	"*": "*",
	"/": "/",
	div: "/",
};

const LEVELS: BinaryOp[][] = [
	["or"],
	["and"],
	["=", "!="],
	["<", ">", "<=", ">="],
	["+", "-"],
	["*", "/"],
];

/** Words that are operators or literals, never the start of a variable's name. */
const RESERVED = new Set([
	"and",
	"or",
	"not",
	"eq",
	"ne",
	"lt",
	"gt",
	"le",
	"ge",
	"div",
	"mod",
	"empty",
	"instanceof",
	"true",
	"false",
	"null",
]);

type Token =
	| { type: "number"; text: string }
	| { type: "string"; value: string }
	| { type: "word"; text: string }
	| { type: "symbol"; text: string };

const SYMBOLS = [
	"==",
	"!=",
	"<=",
	">=",
	"&&",
	"||",
	"<",
	">",
	"=",
	"!",
	"(",
	")",
	".",
	",",
	"+",
	"-",
	"*",
	"/",
];

function tokenize(source: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < source.length) {
		const c = source.charAt(i);
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		const number = /^\d+(\.\d+)?/.exec(source.slice(i));
		if (number) {
			tokens.push({ type: "number", text: number[0] });
			i += number[0].length;
			continue;
		}
		if (c === "'" || c === '"') {
			let value = "";
			let j = i + 1;
			for (; j < source.length; j++) {
				const d = source.charAt(j);
				if (d === "\\" && j + 1 < source.length) {
					value += source.charAt(++j);
				} else if (d === c && source.charAt(j + 1) === c) {
					value += c; // XPath doubles a quote inside a string
					j++;
				} else if (d === c) break;
				else value += d;
			}
			if (j >= source.length) throw new UnsupportedExpression("a string is not closed");
			tokens.push({ type: "string", value });
			i = j + 1;
			continue;
		}
		// A prefixed XPath function (bpmn:getDataObject) is one word.
		const word = /^[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z_][A-Za-z0-9_]*)?/.exec(source.slice(i));
		if (word) {
			tokens.push({ type: "word", text: word[0] });
			i += word[0].length;
			continue;
		}
		const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
		if (!symbol) throw new UnsupportedExpression(`"${c}" is not understood`);
		tokens.push({ type: "symbol", text: symbol });
		i += symbol.length;
	}
	return tokens;
}

class Parser {
	private at = 0;
	/** Names of several words, joined into one (said in the import's warnings). */
	readonly joined: string[] = [];

	private readonly tokens: Token[];

	constructor(tokens: Token[]) {
		this.tokens = tokens;
	}

	parse(): Node {
		const node = this.level(0);
		const rest = this.peek();
		if (rest) throw new UnsupportedExpression(`unexpected ${describe(rest)}`);
		return node;
	}

	private level(depth: number): Node {
		const ops = LEVELS[depth];
		if (!ops) return this.unary();
		let left = this.level(depth + 1);
		for (;;) {
			const op = this.operator();
			if (!op || !ops.includes(op)) return left;
			this.at++;
			left = { kind: "binary", op, left, right: this.level(depth + 1) };
		}
	}

	private operator(): BinaryOp | undefined {
		const t = this.peek();
		if (!t || (t.type !== "symbol" && t.type !== "word")) return undefined;
		return OPERATORS[t.text];
	}

	private unary(): Node {
		const t = this.peek();
		if (t && ((t.type === "symbol" && t.text === "!") || (t.type === "word" && t.text === "not"))) {
			this.at++;
			return { kind: "not", operand: this.unary() };
		}
		if (t?.type === "symbol" && t.text === "-") {
			this.at++;
			return { kind: "negate", operand: this.unary() };
		}
		if (t?.type === "word" && (t.text === "empty" || t.text === "mod" || t.text === "instanceof")) {
			throw new UnsupportedExpression(`"${t.text}" is not translated`);
		}
		return this.primary();
	}

	private primary(): Node {
		const t = this.next();
		if (!t) throw new UnsupportedExpression("the expression ends too early");
		if (t.type === "number") return { kind: "literal", feel: t.text };
		if (t.type === "string") return { kind: "literal", feel: JSON.stringify(t.value) };
		if (t.type === "symbol" && t.text === "(") {
			const inner = this.level(0);
			this.expect(")");
			return inner;
		}
		if (t.type !== "word") throw new UnsupportedExpression(`unexpected ${describe(t)}`);
		if (["true", "false", "null"].includes(t.text)) {
			if (this.isSymbol("(")) {
				// XPath's true() and false()
				this.at++;
				this.expect(")");
			}
			return { kind: "literal", feel: t.text };
		}
		if (t.text.includes(":") || this.isSymbol("(")) return this.call(t.text);
		return this.path(t.text);
	}

	/** The two calls that only read a variable: XPath's getDataObject, JUEL's getVariable. */
	private call(name: string): Node {
		if (name !== "bpmn:getDataObject") {
			throw new UnsupportedExpression(`the function ${name}() is not translated`);
		}
		return { kind: "name", feel: this.variableArgument(name) };
	}

	private variableArgument(name: string): string {
		this.expect("(");
		const arg = this.next();
		if (arg?.type !== "string") throw new UnsupportedExpression(`${name}() takes a name in quotes`);
		this.expect(")");
		return variableName(arg.value);
	}

	/**
	 * A variable and its properties. Words side by side make one name (`Service Level`), as a
	 * modeler names data: it becomes one FEEL name with underscores.
	 */
	private path(first: string): Node {
		if (first === "execution" && this.isSymbol(".")) {
			const method = this.tokens[this.at + 1];
			if (method?.type === "word" && method.text === "getVariable") {
				this.at += 2;
				return { kind: "name", feel: this.variableArgument("execution.getVariable") };
			}
		}
		const segments = [this.words(first)];
		while (this.isSymbol(".")) {
			this.at++;
			const t = this.next();
			if (t?.type !== "word") throw new UnsupportedExpression("a property name is missing after .");
			if (this.isSymbol("("))
				throw new UnsupportedExpression(`the method ${t.text}() is not translated`);
			segments.push(this.words(t.text));
		}
		return { kind: "name", feel: segments.join(".") };
	}

	private words(first: string): string {
		const words = [first];
		for (let t = this.peek(); t?.type === "word" && !RESERVED.has(t.text); t = this.peek()) {
			words.push(t.text);
			this.at++;
		}
		if (words.length > 1) this.joined.push(words.join(" "));
		return variableName(words.join(" "));
	}

	private peek(): Token | undefined {
		return this.tokens[this.at];
	}

	private next(): Token | undefined {
		return this.tokens[this.at++];
	}

	private isSymbol(text: string): boolean {
		const t = this.peek();
		return t?.type === "symbol" && t.text === text;
	}

	private expect(text: string): void {
		const t = this.next();
		if (t?.type !== "symbol" || t.text !== text) {
			throw new UnsupportedExpression(`"${text}" expected${t ? `, not ${describe(t)}` : ""}`);
		}
	}
}

function describe(t: Token): string {
	if (t.type === "string") return `"${t.value}"`;
	if (t.type === "number") return t.text;
	return `"${t.text}"`;
}

function print(node: Node, parent = 0): string {
	switch (node.kind) {
		case "literal":
		case "name":
			return node.feel;
		case "not":
			return `not(${print(node.operand)})`;
		case "negate":
			return `-${print(node.operand, 6)}`;
		case "binary": {
			const p = PRECEDENCE[node.op];
			// Comparisons do not chain in FEEL: a comparison inside another is bracketed.
			const inner = p === 3 ? p + 1 : p;
			const text = `${print(node.left, inner)} ${node.op} ${print(node.right, p + 1)}`;
			return p < parent ? `(${text})` : text;
		}
	}
}

/**
 * The FEEL form of a simple JUEL or XPath expression (without `${ }`), or a throw of
 * UnsupportedExpression saying what is not translated.
 */
export function simpleExpressionToFeel(source: string): { feel: string; joined: string[] } {
	const tokens = tokenize(source);
	if (tokens.length === 0) throw new UnsupportedExpression("the expression is empty");
	const parser = new Parser(tokens);
	return { feel: print(parser.parse()), joined: parser.joined };
}

/** The inside of a JUEL expression, `${ … }` or `#{ … }`, or undefined when it is not one. */
export function juelBody(source: string): string | undefined {
	const match = /^[$#]\{([\s\S]*)\}$/.exec(source.trim());
	return match ? (match[1] as string).trim() : undefined;
}
