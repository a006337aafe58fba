// The validation problems of a draft (D2): as the report's list, each linking to where it is, and
// inside the form they are about. In words only: the stable code is for the API (and `data-code`).
import type { ProblemView } from "../../src/admin/problems.ts";

export function ProblemList({ problems }: { problems: ProblemView[] }) {
	if (problems.length === 0) return null;
	return (
		<ul class="problem-list">
			{problems.map((p) => (
				<li class={`problem problem-${p.severity}`} data-code={p.code}>
					<a href={p.href}>{p.where}</a>: {p.message}
				</li>
			))}
		</ul>
	);
}

/** Problems shown inside the form they are about. */
export function InlineProblems({ problems, id }: { problems: ProblemView[]; id: string }) {
	if (problems.length === 0) return null;
	return (
		<ul class="inline-problems" id={id}>
			{problems.map((p) => (
				<li class={`problem problem-${p.severity}`}>
					<span class="visually-hidden">{p.severity === "error" ? "Error: " : "Warning: "}</span>
					{p.place.kind !== "workflow" && p.place.field ? <code>{p.place.field}</code> : null}
					{p.place.kind !== "workflow" && p.place.field ? " " : null}
					{p.message}
				</li>
			))}
		</ul>
	);
}
