// The workflow diagram as inline SVG (drawn on the server, no script), its legend, what the process
// waits for now (timers, messages, due dates, each date in a <time>), and the same facts as a list
// for screen readers and anyone who prefers text.
import { LABEL_ROW, NODE_HEIGHT, NODE_WIDTH, SCOPE_HEADER } from "../src/diagram/layout.ts";
import type {
	DiagramBoundaryView,
	DiagramEdgeView,
	DiagramNodeView,
	DiagramStep,
	DiagramView,
	DiagramWait,
	HeatScale,
} from "../src/diagram/view.ts";
import { Words } from "./components.tsx";

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

/** The characters a box's status line holds (11.5px in 188px, with padding), and so per pixel. */
const STATUS_CHARS = 28;
const STATUS_CHARS_PER_PX = STATUS_CHARS / NODE_WIDTH;

const WAIT_ICON: Record<DiagramWait["kind"], string> = {
	timer: "◷",
	message: "✉",
	overdue: "⚠",
	due: "⚠",
};

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
					<g class="scopes">
						{view.nodes
							.filter((node) => node.isScope)
							.map((node) => (
								<Scope node={node} />
							))}
					</g>
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
					{view.start ? (
						<circle
							class={`event event-start${view.start.reached ? " is-reached" : ""}`}
							cx={view.start.x}
							cy={view.start.y}
							r="10"
						>
							<title>Start</title>
						</circle>
					) : null}
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
						{view.nodes
							.filter((node) => !node.isScope)
							.map((node) => (
								<Node node={node} />
							))}
					</g>
					<g class="boundaries">
						{view.boundaries.map((boundary) => (
							<Boundary boundary={boundary} hasProcess={view.hasProcess} />
						))}
					</g>
				</svg>
			</section>
			<figcaption id={`${id}-caption`} class="visually-hidden">
				{view.summary}
			</figcaption>
			{view.waits.length > 0 ? <Waits waits={view.waits} id={id} /> : null}
			{view.heatScale ? <HeatLegend scale={view.heatScale} id={id} /> : null}
			<DiagramLegend hasProcess={view.hasProcess} features={view.features} />
			<details class="diagram-text">
				<summary>The diagram as a list</summary>
				<Steps steps={view.steps} hasProcess={view.hasProcess} />
			</details>
		</figure>
	);
}

function Steps({ steps, hasProcess }: { steps: DiagramStep[]; hasProcess: boolean }) {
	return (
		<ol>
			{steps.map((step) => (
				<li>
					<strong>{step.name}</strong>
					{hasProcess ? ` — ${step.statusLabel}` : ""}
					{step.details.length > 0 ? (
						<span class="muted">{` (${step.details.join("; ")})`}</span>
					) : null}
					{step.children && step.children.length > 0 ? (
						<Steps steps={step.children} hasProcess={hasProcess} />
					) : null}
				</li>
			))}
		</ol>
	);
}

/**
 * What the process waits for now, in words: the SVG is one image to a screen reader, and a
 * countdown needs its date in a <time>.
 */
function Waits({ waits, id }: { waits: DiagramWait[]; id: string }) {
	return (
		<section class="diagram-waits" aria-labelledby={`${id}-waits-title`}>
			<h3 id={`${id}-waits-title`} class="h-small">
				Waiting now
			</h3>
			<ul>
				{waits.map((w) => (
					<li class={`wait wait-${w.kind}`}>
						<span class="wait-icon" aria-hidden="true">
							{WAIT_ICON[w.kind]}
						</span>{" "}
						<strong>{w.subject}</strong>{" "}
						{w.wait.date ? (
							<>
								<Words date={w.wait.date} />
								{w.wait.more ?? ""}
							</>
						) : (
							w.wait.text
						)}
					</li>
				))}
			</ul>
		</section>
	);
}

/** C1: a scope, a container around its inner graph, its name and state in the header. */
function Scope({ node }: { node: DiagramNodeView }) {
	const classes = ["scope", `st-${node.status}`];
	if (node.isActive) classes.push("is-active");
	const tooltip = [node.name, node.statusLabel, "a group of steps"].join(" · ");
	const reached = node.status !== "idle";
	const endStatus =
		node.status === "success" ? "success" : node.status === "failure" ? "failure" : "idle";
	const left = node.x - node.width / 2;
	const top = node.y - node.height / 2;
	return (
		<g data-node={node.key} data-status={node.status} class={classes.join(" ")}>
			<g transform={`translate(${left},${top})`}>
				<title>{tooltip}</title>
				<rect class="scope-box" width={node.width} height={node.height} rx="14" />
				<text class="scope-name" x="12" y="18">
					{node.lines[0] ?? node.name}
				</text>
				<text class="node-status" x="12" y={SCOPE_HEADER - 7}>
					{`${STATUS_ICON[node.status]} ${node.statusLabel}`}
				</text>
				<Marks node={node} />
			</g>
			{node.inner ? (
				<>
					{node.inner.start ? (
						<circle
							class={`event event-start${reached ? " is-reached" : ""}`}
							cx={node.inner.start.x}
							cy={node.inner.start.y}
							r="8"
						>
							<title>{`Start of ${node.name}`}</title>
						</circle>
					) : null}
					{node.inner.end ? (
						<circle
							class={`event event-end end-${endStatus}`}
							cx={node.inner.end.x}
							cy={node.inner.end.y}
							r="8"
						>
							<title>{`End of ${node.name}`}</title>
						</circle>
					) : null}
				</>
			) : null}
		</g>
	);
}

/**
 * B1: a boundary event, a double circle on its host's bottom edge (dashed when it does not
 * interrupt), with its kind's glyph and, while it listens, what it waits for beside it.
 */
function Boundary({
	boundary: b,
	hasProcess,
}: {
	boundary: DiagramBoundaryView;
	hasProcess: boolean;
}) {
	const classes = [
		"boundary",
		`boundary-${b.kind}`,
		b.interrupting ? "is-interrupting" : "is-non-interrupting",
	];
	if (hasProcess) classes.push(`bst-${b.status}`);
	return (
		<g
			class={classes.join(" ")}
			transform={`translate(${b.x},${b.y})`}
			data-boundary={b.key}
			data-host={b.host}
			data-status={b.status}
		>
			<title>{b.title}</title>
			<circle class="boundary-outer" r={b.r} />
			<circle class="boundary-inner" r={b.r - 2.5} />
			<BoundaryGlyph kind={b.kind} />
			{b.wait ? (
				<text class="boundary-label" x={b.r + 4} y={b.r + 11 + (b.labelRow ?? 0) * LABEL_ROW}>
					{b.wait.short}
				</text>
			) : null}
		</g>
	);
}

function BoundaryGlyph({ kind }: { kind: DiagramBoundaryView["kind"] }) {
	switch (kind) {
		case "timer":
			return (
				<g class="glyph">
					<circle r="5" />
					<path d="M0,-3.2V0L2.2,1.4" />
				</g>
			);
		case "message":
			return (
				<g class="glyph">
					<rect x="-5" y="-3.6" width="10" height="7.2" />
					<path d="M-5,-3.6L0,0.6L5,-3.6" />
				</g>
			);
		case "error":
			return (
				<g class="glyph glyph-filled">
					<path d="M-4,4.5L-1.6,-4.5L1,0.6L3.8,-4.2L1.6,4.5L-1,-0.4z" />
				</g>
			);
		default:
			return (
				<g class="glyph glyph-filled">
					<circle r="2" />
				</g>
			);
	}
}

/** What a box or a container shows on its edges: gateways, count, inline, incident, overdue. */
function Marks({ node }: { node: DiagramNodeView }) {
	return (
		<>
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
			{node.isOverdue && node.due ? (
				<g class="overdue-mark" transform="translate(22,0)">
					<title>{`Overdue: ${node.due.words} (due ${node.due.text})`}</title>
					<rect y="-9" width="58" height="18" rx="9" />
					<text x="29" y="4" text-anchor="middle">
						overdue
					</text>
				</g>
			) : null}
		</>
	);
}

/** M1: three bars, upright when the instances run at once, lying when one after another. */
function MultiMark({ node }: { node: DiagramNodeView }) {
	if (!node.multi) return null;
	const count = node.instances ? `${node.instances.done}/${node.instances.total}` : "";
	// Left of the middle when a split's gateway sits there.
	const x = node.split ? node.width / 2 - 40 : node.width / 2 - (count ? 12 : 0);
	const bars =
		node.multi === "parallel"
			? [-4.5, -0.5, 3.5].map((bx) => <rect x={bx} y="-5" width="2" height="10" />)
			: [-4.5, -0.5, 3.5].map((by) => <rect x="-5" y={by} width="10" height="2" />);
	const what =
		node.multi === "parallel"
			? "Runs once per item, all at once"
			: "Runs once per item, one after another";
	return (
		<g class="multi-mark" transform={`translate(${x},${node.height - 10})`}>
			<title>
				{node.instances ? `${what}: ${node.instances.done} of ${node.instances.total} done` : what}
			</title>
			{bars}
			{count ? (
				<text class="multi-count" x="9" y="4">
					{count}
				</text>
			) : null}
		</g>
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

function nodeTooltip(node: DiagramNodeView): string {
	return [
		node.name,
		node.statusLabel,
		node.role ? `role ${node.role}` : "",
		node.isInline ? "runs inline" : "",
		node.count > 1 ? `ran ${node.count} times` : "",
		node.waitingFor.length > 0 ? `waits for ${node.waitingFor.join(", ")}` : "",
		node.instances ? `${node.instances.done} of ${node.instances.total} done` : "",
		node.due ? node.due.words : "",
		node.wait ? node.wait.text : "",
		node.heat ? node.heat.label : "",
	]
		.filter(Boolean)
		.join(" · ");
}

/**
 * A node of the author's drawing drawn small there: an event (a circle, double when it waits in
 * the middle of the flow, with its kind's glyph) or a gateway (a diamond with its split's or join's
 * mark), coloured by its state, its name under it as in a BPMN modeler.
 */
function CompactNode({ node, classes }: { node: DiagramNodeView; classes: string[] }) {
	const r = Math.min(node.width, node.height) / 2;
	const kind = node.split ?? node.join;
	const isCatch = node.shape === "event" && !node.isStart && !node.isEnd;
	return (
		<g
			class={[...classes, "node-compact"].join(" ")}
			transform={`translate(${node.x},${node.y})`}
			data-node={node.key}
			data-status={node.status}
		>
			<title>{nodeTooltip(node)}</title>
			{node.shape === "event" ? (
				<>
					<circle class="node-box" r={r} />
					{isCatch ? <circle class="node-box-inner" r={r - 3} /> : null}
					{node.glyph ? <BoundaryGlyph kind={node.glyph} /> : null}
				</>
			) : (
				<>
					<path class="node-box" d={`M0,${-r}L${r},0L0,${r}L${-r},0z`} />
					{kind ? (
						<g class="gateway">
							<title>{`${GATEWAY_NAME[kind]} ${node.split ? "split" : "join"}`}</title>
							<GatewayMark kind={kind} />
						</g>
					) : null}
				</>
			)}
			{node.lines.map((line, i) => (
				<text class="node-name" x="0" y={r + 15 + i * 14} text-anchor="middle">
					{line}
				</text>
			))}
			{node.count > 1 ? (
				<text class="node-count" x={r + 3} y={-r + 4}>{`×${node.count}`}</text>
			) : null}
		</g>
	);
}

function Node({ node }: { node: DiagramNodeView }) {
	const classes = ["node", `st-${node.status}`];
	if (node.isActive) classes.push("is-active");
	if (node.isEnd) classes.push("is-end");
	if (node.isOverdue) classes.push("is-overdue");
	if (node.heat) classes.push("has-heat", `heat-${node.heat.level}`);
	if (node.shape) return <CompactNode node={node} classes={classes} />;
	// A multi-instance marker takes the bottom of the box: the text moves up to make room. A box of
	// the author's drawing may be taller or shorter than Baton's: the text keeps to its middle.
	const lift = (node.multi ? 4 : 0) - (node.height - NODE_HEIGHT) / 2;
	const top = (node.lines.length > 1 ? 22 : 29) - lift;
	const statusChars = Math.floor(node.width * STATUS_CHARS_PER_PX);
	const tooltip = nodeTooltip(node);
	// On a heatmap the status line carries the figure, so the fill is never the only sign.
	const status = node.heat
		? node.heat.text
		: node.wait
			? `${node.wait.date ? "◷" : "✉"} ${node.wait.short}`
			: `${STATUS_ICON[node.status]} ${node.statusLabel}`;
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
				y={(node.lines.length > 1 ? 55 : 48) - lift}
				text-anchor="middle"
			>
				{status.length > statusChars ? `${status.slice(0, statusChars - 1)}…` : status}
			</text>
			<MultiMark node={node} />
			<Marks node={node} />
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
			<GatewayMark kind={kind} />
		</g>
	);
}

/** A heatmap's scale: each fill step with the p95 range it stands for. */
function HeatLegend({ scale, id }: { scale: HeatScale; id: string }) {
	return (
		<section class="heat-legend" aria-labelledby={`${id}-heat-title`}>
			<h3 id={`${id}-heat-title`} class="h-small">
				{`Fill: ${scale.measure}, 95th percentile`}
			</h3>
			<ul class="legend">
				{scale.steps.map((step) => (
					<li>
						<span class={`swatch swatch-heat heat-${step.level}`} aria-hidden="true" />
						{step.range}
					</li>
				))}
				<li>
					<span class="swatch swatch-heat heat-none" aria-hidden="true" />
					No figures in the period
				</li>
			</ul>
		</section>
	);
}

function GatewayMark({ kind }: { kind: "and" | "xor" | "or" | "event" }) {
	if (kind === "or") return <circle r="3.6" />;
	if (kind === "event") {
		return <path class="gateway-event-mark" d="M0,-4.5L4.3,-1.4L2.6,3.6L-2.6,3.6L-4.3,-1.4z" />;
	}
	return (
		<text y="3.5" text-anchor="middle">
			{kind === "and" ? "+" : "×"}
		</text>
	);
}

const BOUNDARY_SWATCH: Record<DiagramBoundaryView["kind"], string> = {
	timer: "◷",
	message: "✉",
	error: "ϟ",
	other: "•",
};

const BOUNDARY_LEGEND: Record<DiagramBoundaryView["kind"], string> = {
	timer: "Timer on a step’s edge",
	message: "Message on a step’s edge",
	error: "Error caught on a step’s edge",
	other: "Event on a step’s edge",
};

export function DiagramLegend({
	hasProcess,
	features,
}: {
	hasProcess: boolean;
	features?: DiagramView["features"];
}) {
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
				Join or split (+ AND, × XOR, ○ OR, ⬠ event-based)
			</li>
			{(features?.boundaries ?? []).map((kind) => (
				<li>
					<span class={`swatch swatch-boundary swatch-boundary-${kind}`} aria-hidden="true">
						{BOUNDARY_SWATCH[kind]}
					</span>
					{BOUNDARY_LEGEND[kind]}
				</li>
			))}
			{features?.nonInterrupting ? (
				<li>
					<span class="swatch swatch-boundary swatch-non-interrupting" aria-hidden="true" />
					Dashed: the step goes on when it fires
				</li>
			) : null}
			{features?.scope ? (
				<li>
					<span class="swatch swatch-scope" aria-hidden="true" />
					Group of steps
				</li>
			) : null}
			{features?.multi ? (
				<li>
					<span class="swatch swatch-multi" aria-hidden="true">
						|||
					</span>
					Once per item (||| at once, ≡ one after another)
				</li>
			) : null}
			{hasProcess && features?.overdue ? (
				<li>
					<span class="swatch swatch-overdue" aria-hidden="true">
						overdue
					</span>
					Past its due date
				</li>
			) : null}
			<li>
				<span class="swatch swatch-loop" aria-hidden="true" />
				Loop back
			</li>
		</ul>
	);
}
