// The workflow diagram as inline SVG (drawn on the server, no script), its legend, and the same
// facts as a list for screen readers and anyone who prefers text.
import type { DiagramEdgeView, DiagramNodeView, DiagramView } from "../src/diagram/view.ts";

const STATUS_ICON: Record<DiagramNodeView["status"], string> = {
	idle: "○",
	queued: "…",
	waiting: "●",
	running: "▶",
	retry: "↻",
	success: "✓",
	failure: "✕",
	revoked: "⊘",
};

const GATEWAY_NAME = { and: "AND", xor: "XOR", or: "OR", event: "Event-based" } as const;

export function Diagram({ view, id }: { view: DiagramView; id: string }) {
	const marker = (kind: string) => `url(#${id}-arrow-${kind})`;
	return (
		<figure class="diagram" aria-labelledby={`${id}-caption`}>
			<section
				class="diagram-scroll"
				tabindex={0}
				aria-label="Diagram (scrolls sideways on small screens)"
			>
				<svg
					xmlns="http://www.w3.org/2000/svg"
					viewBox={`0 0 ${view.width} ${view.height}`}
					width={view.width}
					height={view.height}
					class="diagram-svg"
					style={`--diagram-width:${view.width}px`}
					role="img"
					aria-labelledby={`${id}-title ${id}-desc`}
				>
					<title id={`${id}-title`}>{view.title}</title>
					<desc id={`${id}-desc`}>{view.summary}</desc>
					<defs>
						{["plain", "waiting", "failure"].map((kind) => (
							<marker
								id={`${id}-arrow-${kind}`}
								class={`arrow arrow-${kind}`}
								viewBox="0 0 10 10"
								refX="9"
								refY="5"
								markerWidth="7"
								markerHeight="7"
								orient="auto-start-reverse"
							>
								<path d="M0,0L10,5L0,10z" />
							</marker>
						))}
					</defs>
					<g class="edges">
						{view.edges.map((edge) => (
							<Edge
								edge={edge}
								marker={marker(
									edge.isWaiting ? "waiting" : edge.isFailureRoute ? "failure" : "plain",
								)}
							/>
						))}
					</g>
					<circle
						class={`event event-start${view.start.reached ? " is-reached" : ""}`}
						cx={view.start.x}
						cy={view.start.y}
						r="10"
					>
						<title>Start</title>
					</circle>
					{view.end ? (
						<circle
							class={`event event-end end-${view.end.status}`}
							cx={view.end.x}
							cy={view.end.y}
							r="10"
						>
							<title>End</title>
						</circle>
					) : null}
					<g class="nodes">
						{view.nodes.map((node) => (
							<Node node={node} />
						))}
					</g>
				</svg>
			</section>
			<figcaption id={`${id}-caption`} class="visually-hidden">
				{view.summary}
			</figcaption>
			<DiagramLegend hasProcess={view.hasProcess} />
			<details class="diagram-text">
				<summary>The diagram as a list</summary>
				<ol>
					{view.steps.map((step) => (
						<li>
							<strong>{step.name}</strong>
							{view.hasProcess ? ` — ${step.statusLabel}` : ""}
							{step.details.length > 0 ? (
								<span class="muted">{` (${step.details.join("; ")})`}</span>
							) : null}
						</li>
					))}
				</ol>
			</details>
		</figure>
	);
}

function Edge({ edge, marker }: { edge: DiagramEdgeView; marker: string }) {
	const classes = ["edge", `edge-${edge.kind}`];
	if (edge.index < 0) classes.push("edge-event");
	if (edge.isWaiting) classes.push("is-waiting");
	if (edge.isFailureRoute) classes.push("is-failure-route");
	return (
		<g class={classes.join(" ")}>
			<title>{edge.title}</title>
			<path d={edge.d} marker-end={marker} />
			{edge.hasToken ? (
				<circle class="token" cx={edge.tip.x} cy={edge.tip.y} r="5">
					<title>An arrival waits here for the join</title>
				</circle>
			) : null}
			{edge.label ? (
				<text class="edge-label" x={edge.label.x} y={edge.label.y} text-anchor={edge.label.anchor}>
					{edge.label.text}
				</text>
			) : null}
		</g>
	);
}

function Node({ node }: { node: DiagramNodeView }) {
	const classes = ["node", `st-${node.status}`];
	if (node.isActive) classes.push("is-active");
	if (node.isEnd) classes.push("is-end");
	const top = node.lines.length > 1 ? 22 : 29;
	const tooltip = [
		node.name,
		node.statusLabel,
		node.role ? `role ${node.role}` : "",
		node.isInline ? "runs inline" : "",
		node.count > 1 ? `ran ${node.count} times` : "",
		node.waitingFor.length > 0 ? `waits for ${node.waitingFor.join(", ")}` : "",
	]
		.filter(Boolean)
		.join(" · ");
	return (
		<g
			class={classes.join(" ")}
			transform={`translate(${node.x - node.width / 2},${node.y - node.height / 2})`}
			data-node={node.key}
			data-status={node.status}
		>
			<title>{tooltip}</title>
			<rect class="node-box" width={node.width} height={node.height} rx="10" />
			{node.lines.map((line, i) => (
				<text class="node-name" x={node.width / 2} y={top + i * 16} text-anchor="middle">
					{line}
				</text>
			))}
			<text
				class="node-status"
				x={node.width / 2}
				y={node.lines.length > 1 ? 55 : 48}
				text-anchor="middle"
			>
				{`${STATUS_ICON[node.status]} ${node.statusLabel}`}
			</text>
			{node.join ? <Gateway kind={node.join} x={node.width / 2} y={0} part="join" /> : null}
			{node.split ? (
				<Gateway kind={node.split} x={node.width / 2} y={node.height} part="split" />
			) : null}
			{node.count > 1 ? (
				<g class="count-badge" transform={`translate(${node.width - 6},2)`}>
					<title>{`Ran ${node.count} times`}</title>
					<rect x="-26" y="-10" width="32" height="20" rx="10" />
					<text x="-10" y="4" text-anchor="middle">{`×${node.count}`}</text>
				</g>
			) : null}
			{node.isInline ? (
				<g class="inline-mark" transform={`translate(${node.width - 14},${node.height - 12})`}>
					<title>Runs inline: no queue hop</title>
					<text text-anchor="middle">⚡</text>
				</g>
			) : null}
			{node.hasIncident ? (
				<g class="incident-mark" transform="translate(8,2)">
					<title>Open incident</title>
					<circle r="9" />
					<text y="4" text-anchor="middle">
						!
					</text>
				</g>
			) : null}
		</g>
	);
}

function Gateway({
	kind,
	x,
	y,
	part,
}: {
	kind: "and" | "xor" | "or" | "event";
	x: number;
	y: number;
	part: "join" | "split";
}) {
	return (
		<g class={`gateway gateway-${kind}`} transform={`translate(${x},${y})`}>
			<title>{`${GATEWAY_NAME[kind]} ${part}`}</title>
			<path d="M0,-9L9,0L0,9L-9,0z" />
			{kind === "or" ? (
				<circle r="3.6" />
			) : kind === "event" ? (
				<path class="gateway-event-mark" d="M0,-4.5L4.3,-1.4L2.6,3.6L-2.6,3.6L-4.3,-1.4z" />
			) : (
				<text y="3.5" text-anchor="middle">
					{kind === "and" ? "+" : "×"}
				</text>
			)}
		</g>
	);
}

export function DiagramLegend({ hasProcess }: { hasProcess: boolean }) {
	return (
		<ul class="legend" aria-label="Legend">
			{hasProcess
				? (
						[
							["idle", "Not reached"],
							["waiting", "Waiting for input"],
							["running", "Running"],
							["retry", "Retrying"],
							["success", "Done"],
							["failure", "Failed"],
							["revoked", "Revoked"],
						] as const
					).map(([status, label]) => (
						<li>
							<span class={`swatch st-${status}`} aria-hidden="true">
								{STATUS_ICON[status]}
							</span>
							{label}
						</li>
					))
				: null}
			{hasProcess ? (
				<li>
					<span class="swatch swatch-active" aria-hidden="true" />
					Active now (outlined)
				</li>
			) : null}
			{hasProcess ? (
				<li>
					<span class="swatch swatch-count" aria-hidden="true">
						×2
					</span>
					Ran several times
				</li>
			) : null}
			{hasProcess ? (
				<li>
					<span class="swatch swatch-waiting" aria-hidden="true" />
					Branch an OR join waits for
				</li>
			) : null}
			<li>
				<span class="swatch swatch-gateway" aria-hidden="true">
					+
				</span>
				Join or split (+ AND, × XOR, ○ OR)
			</li>
			<li>
				<span class="swatch swatch-loop" aria-hidden="true" />
				Loop back
			</li>
		</ul>
	);
}
