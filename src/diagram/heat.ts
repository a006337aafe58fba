// A heatmap on a workflow's diagram (issue #16): each node's fill says how long its tasks take at
// the 95th percentile, on a scale of five steps from zero to the slowest node, so the slow steps
// stand out. The figures are written on the nodes too, and a page lists them as a table: colour
// alone carries nothing.
import type { DiagramNodeView, DiagramStep, DiagramView, NodeHeat } from "./view.ts";

/** Five steps, 0 the fastest: enough to tell slow from fast, few enough to tell apart. */
export const HEAT_STEPS = 5;

export interface HeatFigure {
	p50: number;
	p95: number;
	n: number;
}

/**
 * The diagram with each measured node's heat, and the scale for its legend. `words` puts a span in
 * words (the pages' duration format); nodes without a figure keep no heat and read "no data".
 */
export function withHeat(
	view: DiagramView,
	figures: ReadonlyMap<string, HeatFigure>,
	measure: string,
	words: (ms: number) => string,
): DiagramView {
	const max = Math.max(0, ...[...figures.values()].map((f) => f.p95));
	const levelOf = (p95: number) =>
		max === 0 ? 0 : Math.min(HEAT_STEPS - 1, Math.floor((p95 / max) * HEAT_STEPS));
	const nodes = view.nodes.map((node): DiagramNodeView => {
		const figure = figures.get(node.key);
		if (node.isScope) return node;
		if (!figure) return { ...node, statusLabel: "No figures in the period" };
		const text = `p95 ${words(figure.p95)}`;
		const heat: NodeHeat = {
			level: levelOf(figure.p95),
			text,
			label: `${text}, p50 ${words(figure.p50)}, over ${figure.n} task${figure.n === 1 ? "" : "s"}`,
		};
		return { ...node, heat };
	});
	const step = max / HEAT_STEPS;
	const steps = Array.from({ length: HEAT_STEPS }, (_, level) => ({
		level,
		range:
			max === 0
				? level === 0
					? "all measured steps"
					: "—"
				: level === HEAT_STEPS - 1
					? `${words(level * step)} to ${words(max)}`
					: `${words(level * step)} to under ${words((level + 1) * step)}`,
	})).filter((s) => s.range !== "—");
	const heatOf = new Map(nodes.flatMap((n) => (n.heat ? [[n.key, n.heat] as const] : [])));
	// The diagram as a list says the same, for whoever reads it rather than looks.
	const withFigures = (list: DiagramStep[]): DiagramStep[] =>
		list.map((s) => {
			const heat = heatOf.get(s.key);
			const next: DiagramStep = { ...s, details: heat ? [...s.details, heat.label] : s.details };
			if (s.children) next.children = withFigures(s.children);
			return next;
		});
	return { ...view, nodes, steps: withFigures(view.steps), heatScale: { measure, steps } };
}
