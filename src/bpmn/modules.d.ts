// The parts of bpmn-moddle and saxen that Baton uses; neither package ships declarations for its
// main entry.
declare module "bpmn-moddle" {
	export interface ModdleElement {
		$type: string;
		id?: string;
		name?: string;
		$attrs: Record<string, string>;
		[property: string]: unknown;
	}
	export interface ModdleWarning {
		message: string;
		element?: ModdleElement;
		property?: string;
	}
	export class BpmnModdle {
		constructor(packages?: Record<string, unknown>);
		fromXML(
			xml: string,
			type?: string,
		): Promise<{ rootElement: ModdleElement; warnings: ModdleWarning[] }>;
		toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
		create(type: string, attrs?: Record<string, unknown>): ModdleElement;
	}
}

declare module "saxen" {
	export interface ParseContext {
		line: number;
		column: number;
	}
	export class Parser {
		constructor(options?: { proxy?: boolean });
		ns(map?: Record<string, string>): void;
		on(
			event: "openTag",
			handler: (
				name: string,
				attrs: () => Record<string, string>,
				decodeEntities: (s: string) => string,
				selfClosing: boolean,
				getContext: () => ParseContext,
			) => void,
		): this;
		on(event: "error", handler: (error: Error, getContext: () => ParseContext) => void): this;
		parse(xml: string): void;
	}
}
