// The routes out of each node of a level: sequence flows as transitions, with conditions in FEEL,
// ordered so that R2 means what BPMN means. An XOR split takes the first candidate: conditioned
// routes first, the default last and unconditioned; one whose routes carry only names is a
// person's decision. An AND split takes every candidate: its default gets the negation of the
// others. Files Baton exported keep their conditions as Baton wrote them.
import type { ModdleElement } from "bpmn-moddle";
import type { TransitionDefinition } from "../engine/index.ts";
import { batonCondition } from "./import-baton.ts";
import type { ImportContext, Placed } from "./import-context.ts";
import { askForRoute } from "./import-decisions.ts";
import { conditionToFeel } from "./import-expressions.ts";
import { oneLine } from "./import-report.ts";
import { expressionLanguage, expressionText, ref } from "./moddle-access.ts";
import { BATON_NS } from "./vocabulary.ts";

interface Route {
	flow: ModdleElement;
	/** `= FEEL`, or a Baton literal from a Baton export. */
	condition?: string | number | boolean;
	isDefault: boolean;
}

/** The transitions of a level, in the order and with the conditions that keep BPMN's meaning. */
export function routes(
	placed: Placed[],
	flows: ModdleElement[],
	byId: Map<string, Placed>,
	folded: { start: Set<string>; end: Set<string> },
	ctx: ImportContext,
): TransitionDefinition[] {
	const transitions: TransitionDefinition[] = [];
	const fromBaton = ctx.fromBaton;
	for (const flow of flows) {
		const source = ref(flow.sourceRef) ?? "";
		const target = ref(flow.targetRef) ?? "";
		for (const [end, id] of [
			["source", source],
			["target", target],
		] as const) {
			if (!ctx.keyOf.has(id) && !folded.start.has(id) && !folded.end.has(id)) {
				ctx.report.refuse(
					flow,
					"FLOW_WITHOUT_END",
					`its ${end} ${id === "" ? "is missing" : `"${id}" is no step of its flow`}`,
				);
			}
		}
		const from = byId.get(source);
		const to = byId.get(target);
		if (folded.start.has(source) && to) to.node.start = true;
		if (folded.end.has(target) && from) from.node.end = true;
	}
	const ordered = new Map<Placed, Route[]>();
	for (const source of placed) {
		// Flows to a refused step are read too, so that their own problems are reported.
		const out = flows.filter(
			(f) => ref(f.sourceRef) === source.el.id && !folded.end.has(ref(f.targetRef) ?? ""),
		);
		const defaultId = ref(source.el.default);
		const read: Route[] = [];
		for (const flow of out) {
			const condition = fromBaton ? batonCondition(flow) : modelCondition(flow, ctx);
			if (condition === "refused") continue;
			read.push({
				flow,
				...(condition === undefined ? {} : { condition }),
				isDefault: flow.id === defaultId,
			});
		}
		ordered.set(source, fromBaton ? read : ordering(source, read, ctx));
	}
	// The file's order across sources, each source's routes in the order R2 needs.
	for (const flow of flows) {
		const source = byId.get(ref(flow.sourceRef) ?? "");
		const route = source ? ordered.get(source)?.shift() : undefined;
		const to = byId.get(ref(route?.flow.targetRef) ?? "");
		if (!source || !route || !to) continue;
		const t: TransitionDefinition = { from: source.node.key, to: to.node.key };
		if (route.condition !== undefined) t.condition = route.condition;
		if (route.flow.$attrs[`${BATON_NS.prefix}:on`] === "failure") t.on = "failure";
		if (route.flow.id) ctx.flowOf.set(t, route.flow.id);
		transitions.push(t);
	}
	return transitions;
}

/**
 * A modeler's condition as `= FEEL` (Camunda 8's as written), undefined for none, or refused by
 * line.
 */
function modelCondition(flow: ModdleElement, ctx: ImportContext): string | undefined | "refused" {
	const body = expressionText(flow.conditionExpression);
	if (body === undefined || body === "") return undefined;
	const language = expressionLanguage(flow.conditionExpression) ?? ctx.expressionLanguage;
	const read = conditionToFeel(body, language);
	if (!read.ok) {
		ctx.report.refuse(
			flow,
			"UNSUPPORTED_CONDITION",
			`the condition ${body} is not read: ${read.why}`,
		);
		return "refused";
	}
	if (read.joined.length > 0) {
		ctx.report.warn(
			flow,
			"NAMES_JOINED",
			`the condition names ${read.joined.join(", ")}: Baton's variables are single words, read as ${read.joined.map((n) => n.replace(/\s+/g, "_")).join(", ")}`,
		);
	}
	return read.expression;
}

/**
 * The routes out of a node in the order R2 needs. An XOR split takes the first true candidate:
 * conditioned routes first, then routes without a condition (a fallback), the default last; one
 * with no condition at all asks a person. An AND split (activities, inclusive gateways) takes every
 * true candidate: the default gets "none of the others holds".
 */
function ordering(source: Placed, read: Route[], ctx: ImportContext): Route[] {
	const { el, node } = source;
	if (read.length === 0) return read;
	if (el.$type === "bpmn:EventBasedGateway" || el.$type === "bpmn:ParallelGateway") {
		if (read.some((r) => r.condition !== undefined)) {
			ctx.report.warn(
				el,
				"CONDITION_IGNORED",
				"conditions on its routes are ignored: it takes every route",
			);
		}
		return read.map(({ condition: _, ...r }) => r);
	}
	if (el.$type === "bpmn:ExclusiveGateway" && read.length > 1) {
		const conditioned = read.filter((r) => !r.isDefault && r.condition !== undefined);
		if (conditioned.length === 0) {
			const conditions = askForRoute(
				el,
				node,
				read.map((r) => r.flow),
				ctx,
			);
			return read.map((r, i) => ({ ...r, condition: conditions[i] as string }));
		}
		const bare = read.filter((r) => !r.isDefault && r.condition === undefined);
		if (bare.length > 0) {
			ctx.report.warn(
				el,
				"ROUTE_WITHOUT_CONDITION",
				`${bare.map((r) => describeRoute(r.flow)).join(", ")} ha${bare.length > 1 ? "ve" : "s"} no condition: taken when no condition holds`,
			);
		}
		return [...conditioned, ...bare, ...read.filter((r) => r.isDefault)];
	}
	const others = read.filter((r) => !r.isDefault && typeof r.condition === "string");
	return read.map((r) => {
		if (!r.isDefault || others.length === 0) return r;
		const none = others.map((o) => `(${String(o.condition).replace(/^\s*=\s*/, "")}) = true`);
		return { ...r, condition: `= not(${none.join(" or ")})` };
	});
}

function describeRoute(flow: ModdleElement): string {
	return flow.name?.trim() ? `the route "${oneLine(flow.name)}"` : `the route ${flow.id}`;
}
