// How a webhook payload becomes process params: a small declarative mapping, param name → where the
// value comes from (a JSON pointer or a dotted path into the payload, or a constant), with defaults,
// required flags and types. Validated with zod when a trigger is saved and on every delivery.
import { z } from "zod";

/** Names that would reach an object's prototype; refused as param names and as path segments. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export const MAPPING_TYPES = [
	"any",
	"string",
	"number",
	"integer",
	"boolean",
	"object",
	"array",
] as const;
export type MappingType = (typeof MAPPING_TYPES)[number];

const paramName = z
	.string()
	.regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "a param name is a letter or _, then letters, digits, _")
	.refine((name) => !FORBIDDEN_KEYS.has(name), "this name is reserved");

const sourcePath = z
	.string()
	.max(256)
	.refine((path) => parsePath(path) !== null, {
		message: 'a JSON pointer ("/order/id", "" for the whole payload) or a dotted path ("order.id")',
	});

/** Where one param comes from. Exactly one of `from` and `value`. */
export const fieldMappingSchema = z
	.strictObject({
		from: sourcePath
			.optional()
			.meta({ description: 'JSON pointer ("/order/id") or dotted path ("order.id")' }),
		value: z.json().optional().meta({ description: "A constant: the param always has this value" }),
		default: z.json().optional().meta({ description: "Used when `from` finds nothing" }),
		required: z.boolean().optional().meta({ description: "Refuse a payload without this value" }),
		type: z.enum(MAPPING_TYPES).optional().meta({ description: "The value's JSON type" }),
	})
	.superRefine((field, ctx) => {
		const hasFrom = field.from !== undefined;
		const hasValue = field.value !== undefined;
		if (hasFrom === hasValue) {
			ctx.addIssue({ code: "custom", message: "give exactly one of `from` and `value`" });
		}
		if (hasValue && (field.default !== undefined || field.required !== undefined)) {
			ctx.addIssue({
				code: "custom",
				message: "a constant `value` takes no `default` or `required`",
			});
		}
		const type = field.type ?? "any";
		for (const key of ["value", "default"] as const) {
			const v = field[key];
			if (v !== undefined && !typeSchema(type).safeParse(v).success) {
				ctx.addIssue({ code: "custom", path: [key], message: `not of type ${type}` });
			}
		}
	});
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

/** param name → field mapping; at most 50 params. */
export const payloadMappingSchema = z
	.record(paramName, fieldMappingSchema)
	.refine((m) => Object.keys(m).length <= 50, "at most 50 params")
	.meta({ description: "How the payload becomes params: param name → where its value comes from" });
export type PayloadMapping = z.infer<typeof payloadMappingSchema>;

export interface MappingProblem {
	param: string;
	from?: string;
	message: string;
}

export type MappingResult =
	| { ok: true; params: Record<string, unknown> }
	| { ok: false; problems: MappingProblem[] };

/**
 * Splits a source path into segments: "" → [] (the whole payload), "/a/b~1c" → ["a", "b/c"]
 * (RFC 6901), "a.b.0" → ["a", "b", "0"]. Null when malformed or naming a prototype key.
 */
export function parsePath(path: string): string[] | null {
	if (path === "") return [];
	let segments: string[];
	if (path.startsWith("/")) {
		if (/~[^01]|~$/.test(path)) return null;
		segments = path
			.slice(1)
			.split("/")
			.map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
	} else {
		segments = path.split(".");
		if (segments.some((s) => s === "")) return null;
	}
	if (segments.length > 32 || segments.some((s) => FORBIDDEN_KEYS.has(s))) return null;
	return segments;
}

/** The value at `segments` in `doc`, own properties only; undefined when there is none. */
export function resolvePath(doc: unknown, segments: readonly string[]): unknown {
	let current: unknown = doc;
	for (const segment of segments) {
		if (Array.isArray(current)) {
			if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
			current = current[Number(segment)];
		} else if (typeof current === "object" && current !== null) {
			if (!Object.hasOwn(current, segment)) return undefined;
			current = (current as Record<string, unknown>)[segment];
		} else {
			return undefined;
		}
	}
	return current;
}

function typeSchema(type: MappingType): z.ZodType {
	switch (type) {
		case "string":
			return z.string();
		case "number":
			return z.number();
		case "integer":
			return z.int();
		case "boolean":
			return z.boolean();
		case "object":
			return z.record(z.string(), z.unknown());
		case "array":
			return z.array(z.unknown());
		case "any":
			return z.unknown().refine((v) => v !== undefined, "required");
	}
}

/** The zod schema the mapped params of a delivery must satisfy. */
export function mappedParamsSchema(mapping: PayloadMapping): z.ZodObject {
	const shape: Record<string, z.ZodType> = {};
	for (const [name, field] of Object.entries(mapping)) {
		const schema = typeSchema(field.type ?? "any");
		const mustHave = field.value !== undefined || field.required === true;
		shape[name] = mustHave ? schema : schema.optional();
	}
	return z.strictObject(shape);
}

/**
 * Applies the mapping to a parsed payload: each param from its source (or its default, or its
 * constant), then the zod check of types and required values. Unmapped payload fields never
 * become params. Every problem is reported at once.
 */
export function applyMapping(mapping: PayloadMapping, payload: unknown): MappingResult {
	const params: Record<string, unknown> = {};
	for (const [name, field] of Object.entries(mapping)) {
		let value: unknown;
		if (field.value !== undefined) value = field.value;
		else {
			const segments = parsePath(field.from ?? "") ?? [];
			value = resolvePath(payload, segments);
			if (value === undefined) value = field.default;
		}
		if (value !== undefined) params[name] = value;
	}
	const checked = mappedParamsSchema(mapping).safeParse(params);
	if (checked.success) return { ok: true, params };
	const problems = checked.error.issues.map((issue): MappingProblem => {
		const param = String(issue.path[0] ?? "");
		const from = mapping[param]?.from;
		const missing = params[param] === undefined;
		const message = missing
			? "the payload has no value here"
			: `expected ${mapping[param]?.type ?? "a value"}: ${issue.message}`;
		return from === undefined ? { param, message } : { param, from, message };
	});
	return { ok: false, problems };
}
