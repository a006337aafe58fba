// D2 for time and events: boundaries (B1–B4), due dates (H1), messages (N1–N2), error ends (X1),
// scopes (C1), multi-instance (M1) and event-based gateways (E1). Misuse is reported at once, each
// problem at its path. Part of validateDefinition.
import { parseDuration } from "./duration.ts";
import { evaluateExpression, expressionSyntaxError, isExpression } from "./expressions.ts";
import type { Level, PlacedNode } from "./levels.ts";
import type { ProblemList } from "./problems.ts";
import type { ExecutionMode, TaskCatalog } from "./task-type-spec.ts";

const LISTENING: ReadonlySet<ExecutionMode> = new Set(["timer", "message", "error"]);

export function checkEvents(levels: Level[], catalog: TaskCatalog, problems: ProblemList): void {
	const modeOf = (key: string) => {
		const node = levels.flatMap((l) => l.nodes).find((p) => p.node.key === key)?.node;
		return node ? catalog.get(node.task)?.mode : undefined;
	};
	for (const level of levels) {
		const byKey = new Map(level.nodes.map((p) => [p.node.key, p]));
		for (const placed of level.nodes) {
			const mode = catalog.get(placed.node.task)?.mode;
			if (mode === undefined) continue;
			checkBoundary(placed, mode, level, byKey, problems);
			checkPlacement(placed, mode, problems);
			checkDates(placed, problems);
			checkMultiInstance(placed, problems);
			checkMessage(placed, mode, problems);
			checkEventSplit(placed, level, modeOf, problems);
		}
	}
}

/** B1–B4: a boundary sits on a node of its own graph, listens for a timer, message or error, and
 * an interrupting one has somewhere to go. */
function checkBoundary(
	{ node, path }: PlacedNode,
	mode: ExecutionMode,
	level: Level,
	byKey: ReadonlyMap<string, PlacedNode>,
	problems: ProblemList,
): void {
	if (node.attachedTo === undefined) {
		if (node.interrupting !== undefined) {
			problems.error(
				"INTERRUPTING_WITHOUT_HOST",
				`${path}.interrupting`,
				`"${node.key}" is not attached to a node: interrupting applies to boundary events only`,
			);
		}
		return;
	}
	const host = byKey.get(node.attachedTo);
	if (!host) {
		problems.error(
			"UNKNOWN_HOST",
			`${path}.attachedTo`,
			`no node "${node.attachedTo}" in the same graph to attach "${node.key}" to`,
		);
	} else if (host.node.attachedTo !== undefined) {
		problems.error(
			"BOUNDARY_ON_BOUNDARY",
			`${path}.attachedTo`,
			`"${node.attachedTo}" is itself a boundary event; attach "${node.key}" to a task`,
		);
	}
	if (node.start) {
		problems.error(
			"BOUNDARY_ON_START",
			`${path}.start`,
			`the boundary event "${node.key}" cannot be a start node: it fires only while its host runs`,
		);
	}
	if (!LISTENING.has(mode)) {
		problems.error(
			"BOUNDARY_TASK_TYPE",
			`${path}.task`,
			`a boundary event listens: its task type is wait (a timer), message or error, not "${node.task}"`,
		);
	}
	if (mode === "error" && node.interrupting === false) {
		problems.error(
			"ERROR_BOUNDARY_NOT_INTERRUPTING",
			`${path}.interrupting`,
			`the error boundary "${node.key}" always interrupts: its host has already failed`,
		);
	}
	const incoming = level.transitions.filter((t) => t.transition.to === node.key);
	if (incoming.length > 0) {
		problems.error(
			"BOUNDARY_WITH_INCOMING",
			incoming[0]?.path ?? path,
			`nothing leads to the boundary event "${node.key}": it fires from its host`,
		);
	}
	const outgoing = level.transitions.some((t) => t.transition.from === node.key);
	if (!outgoing && !node.end && node.interrupting !== false) {
		problems.error(
			"BOUNDARY_WITHOUT_PATH",
			path,
			`the interrupting boundary "${node.key}" revokes its host and has no path to take: add a transition from it, or make it an end`,
		);
	}
	const params = node.params ?? {};
	if (mode === "timer" && (params.at === "due" || params.at === "followUp")) {
		const setting = params.at === "due" ? "due" : "followUp";
		if (host && host.node[setting] === undefined) {
			problems.error(
				"TIMER_AT_MISSING_DATE",
				`${path}.params.at`,
				`"${node.key}" fires at the ${setting} date of "${host.node.key}", which sets none`,
			);
		}
	}
	if (mode === "timer" && params.cycle !== undefined && node.interrupting !== false) {
		problems.warn(
			"INTERRUPTING_CYCLE",
			`${path}.params.cycle`,
			`an interrupting timer fires once: the cycle of "${node.key}" only repeats when interrupting is false`,
		);
	}
}

/** B3, X1, C1: cycles and due dates on boundaries only; error nodes end or catch; scopes hold a graph. */
function checkPlacement(
	{ node, path }: PlacedNode,
	mode: ExecutionMode,
	problems: ProblemList,
): void {
	const params = node.params ?? {};
	if (mode === "timer" && node.attachedTo === undefined) {
		for (const key of ["cycle", "at"] as const) {
			if (params[key] !== undefined) {
				problems.error(
					"TIMER_SETTING_NEEDS_HOST",
					`${path}.params.${key}`,
					`"${key}" is for timer boundary events; "${node.key}" is not attached to a node`,
				);
			}
		}
	}
	if (mode === "error" && node.attachedTo === undefined) {
		if (!node.end) {
			problems.error(
				"ERROR_NODE_PLACEMENT",
				path,
				`"${node.key}" (task error) is either an end node that throws a code or a boundary that catches one`,
			);
		} else if (typeof params.code !== "string") {
			problems.error(
				"ERROR_END_WITHOUT_CODE",
				`${path}.params.code`,
				`the error end "${node.key}" needs the code it throws, for a boundary to catch`,
			);
		}
	}
	const hasGraph = node.nodes !== undefined;
	if (mode === "scope" && (!hasGraph || (node.nodes ?? []).length === 0)) {
		problems.error("EMPTY_SCOPE", `${path}.nodes`, `the scope "${node.key}" has no inner nodes`);
	}
	if (mode !== "scope" && (hasGraph || node.transitions !== undefined)) {
		problems.error(
			"INNER_GRAPH_OUTSIDE_SCOPE",
			`${path}.nodes`,
			`only a node of task type scope holds inner nodes; "${node.key}" is "${node.task}"`,
		);
	}
}

/** H1: due and follow-up dates are durations or FEEL. */
function checkDates({ node, path }: PlacedNode, problems: ProblemList): void {
	for (const key of ["due", "followUp"] as const) {
		const value = node[key];
		if (value === undefined) continue;
		const problem = isExpression(value)
			? expressionSyntaxError(value)
			: parseDuration(value) === null
				? `"${value}" is not a duration ("P2D", "4h") nor "= FEEL"`
				: null;
		if (problem) problems.error("INVALID_DATE_SETTING", `${path}.${key}`, problem);
	}
}

/** M1: a collection that parses and, when it names nothing, is a list; never on a boundary. */
function checkMultiInstance({ node, path }: PlacedNode, problems: ProblemList): void {
	const mi = node.multiInstance;
	if (!mi) return;
	if (node.attachedTo !== undefined) {
		problems.error(
			"MULTI_INSTANCE_BOUNDARY",
			`${path}.multiInstance`,
			`the boundary event "${node.key}" cannot run once per item`,
		);
	}
	const syntax = expressionSyntaxError(mi.items);
	if (syntax) {
		problems.error("EXPRESSION_SYNTAX", `${path}.multiInstance.items`, syntax);
	} else {
		// A collection that needs no data (a literal) is known now: it must be a list.
		const value = evaluateExpression(mi.items, {});
		if (value.ok && value.value !== null && !Array.isArray(value.value)) {
			problems.error(
				"NOT_A_LIST",
				`${path}.multiInstance.items`,
				`${mi.items} gives ${JSON.stringify(value.value)}: a multi-instance node runs once per item of a list`,
			);
		}
	}
	if (mi.completion !== undefined) {
		const problem = expressionSyntaxError(mi.completion);
		if (problem) problems.error("EXPRESSION_SYNTAX", `${path}.multiInstance.completion`, problem);
	}
}

/** N1–N2: a message wait is correlated (but a message start), and FEEL keys parse. */
function checkMessage(
	{ node, path }: PlacedNode,
	mode: ExecutionMode,
	problems: ProblemList,
): void {
	if (mode !== "message" && mode !== "send") return;
	const params = node.params ?? {};
	if (mode === "message" && params.correlationKey === undefined && !node.start) {
		problems.error(
			"MESSAGE_WITHOUT_CORRELATION",
			`${path}.params.correlationKey`,
			`"${node.key}" waits for a message with no correlation key: every process would take any such message; give one (e.g. "= params.orderId")`,
		);
	}
	for (const key of ["correlationKey", "payload"] as const) {
		const value = params[key];
		if (!isExpression(value)) continue;
		const problem = expressionSyntaxError(value);
		if (problem) problems.error("EXPRESSION_SYNTAX", `${path}.params.${key}`, problem);
	}
}

/** E1: an event-based gateway leads, unconditionally, to waits that only it leads to. */
function checkEventSplit(
	{ node, path }: PlacedNode,
	level: Level,
	modeOf: (key: string) => ExecutionMode | undefined,
	problems: ProblemList,
): void {
	if (node.split !== "event") return;
	const out = level.transitions.filter(
		(t) => t.transition.from === node.key && t.transition.on !== "failure",
	);
	if (out.length < 2) {
		problems.error(
			"EVENT_SPLIT_TOO_FEW",
			`${path}.split`,
			`the event-based gateway "${node.key}" needs at least two waits to race`,
		);
	}
	for (const { transition: t, path: tPath } of out) {
		const mode = modeOf(t.to);
		if (mode !== "timer" && mode !== "message") {
			problems.error(
				"EVENT_SPLIT_TARGET",
				`${tPath}.to`,
				`an event-based gateway leads to waits (wait, message, event); "${t.to}" is not one`,
			);
		}
		if (t.condition !== undefined && t.condition !== "") {
			problems.error(
				"EVENT_SPLIT_CONDITION",
				`${tPath}.condition`,
				"the routes of an event-based gateway have no conditions: the first wait to happen decides",
			);
		}
		const into = level.transitions.filter((x) => x.transition.to === t.to).length;
		if (into > 1) {
			problems.error(
				"EVENT_SPLIT_SHARED_TARGET",
				`${tPath}.to`,
				`"${t.to}" has other incoming transitions: a wait of an event-based gateway is reached from it only`,
			);
		}
	}
}
