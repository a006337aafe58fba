// Reading bpmn-moddle's elements safely. Baton reads Camunda's extensions without their moddle
// descriptors: bpmn-moddle keeps an unknown element as a generic one (`$type` "zeebe:taskDefinition",
// its attributes as properties, its children in `$children`, its text in `$body`) and an unknown
// attribute of a known element in `$attrs`.
import type { ModdleElement } from "bpmn-moddle";

export function list(value: unknown): ModdleElement[] {
	return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

/** The id a reference names: bpmn-moddle resolves references to elements, or leaves the id text. */
export function ref(value: unknown): string | undefined {
	if (typeof value === "string") return value;
	if (typeof value === "object" && value !== null) return (value as { id?: string }).id;
	return undefined;
}

/** The referenced element, when bpmn-moddle resolved it. */
export function refElement(value: unknown): ModdleElement | undefined {
	return typeof value === "object" && value !== null ? (value as ModdleElement) : undefined;
}

/** The text of a formal expression (`<conditionExpression>`, `<timeDuration>`, …), trimmed. */
export function expressionText(value: unknown): string | undefined {
	if (typeof value !== "object" || value === null) return undefined;
	const body = (value as { body?: unknown }).body;
	return typeof body === "string" ? body.trim() : undefined;
}

/**
 * The `language` of an expression, if it names one: a property of `tFormalExpression`, an unknown
 * attribute of a plain `tExpression` (written without `xsi:type`).
 */
export function expressionLanguage(value: unknown): string | undefined {
	if (typeof value !== "object" || value === null) return undefined;
	const el = value as { language?: unknown; $attrs?: Record<string, string> };
	const language = el.language ?? el.$attrs?.language;
	return typeof language === "string" && language !== "" ? language : undefined;
}

/** An attribute of another namespace on a BPMN element (`camunda:assignee`), as text. */
export function foreignAttr(el: ModdleElement | undefined, name: string): string | undefined {
	const value = el?.$attrs?.[name];
	return typeof value === "string" ? value : undefined;
}

/** The extension elements of `el` with one of these types (`zeebe:taskDefinition`). */
export function extensions(el: ModdleElement, ...types: string[]): ModdleElement[] {
	const holder = el.extensionElements as { values?: unknown } | undefined;
	return list(holder?.values).filter((v) => types.includes(v.$type));
}

/** The first extension element of one of these types. */
export function extension(el: ModdleElement, ...types: string[]): ModdleElement | undefined {
	return extensions(el, ...types)[0];
}

/** The children of a generic element (`zeebe:ioMapping` → its inputs and outputs). */
export function children(el: ModdleElement | undefined, ...types: string[]): ModdleElement[] {
	return list(el?.$children).filter((c) => types.length === 0 || types.includes(c.$type));
}

/** A generic element's attribute as text. */
export function attr(el: ModdleElement | undefined, name: string): string | undefined {
	const value = el?.[name];
	return typeof value === "string" ? value : undefined;
}

/** `bpmn:BoundaryEvent` → `boundaryEvent`, as a modeler's file writes it. */
export function localName(type: string): string {
	const local = type.slice(type.indexOf(":") + 1);
	return `${local.charAt(0).toLowerCase()}${local.slice(1)}`;
}

/** `bpmn:BoundaryEvent` → `bpmn:boundaryEvent`. */
export function xmlName(type: string): string {
	const colon = type.indexOf(":");
	return colon < 0 ? type : `${type.slice(0, colon)}:${localName(type)}`;
}

/** The first documentation text of an element, trimmed, or undefined. */
export function documentationOf(el: ModdleElement): string | undefined {
	const doc = list(el.documentation)[0]?.text;
	return typeof doc === "string" && doc.trim() !== "" ? doc.trim() : undefined;
}
