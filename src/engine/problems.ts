// Definition problems (D2): a stable code, where it is, and a message for the workflow author.

export interface Problem {
	/** SCREAMING_SNAKE, e.g. UNKNOWN_TASK_TYPE. */
	code: string;
	/** Where: "nodes[3].task", "transitions[2]", "" for the whole definition. */
	path: string;
	message: string;
	severity: "error" | "warning";
}

/** Renders a zod-style path (["nodes", 3, "task"]) as "nodes[3].task". */
export function formatPath(path: readonly PropertyKey[]): string {
	let out = "";
	for (const part of path) {
		if (typeof part === "number") out += `[${part}]`;
		else out += out === "" ? String(part) : `.${String(part)}`;
	}
	return out;
}

/** Collects problems in the order they are found. */
export class ProblemList {
	readonly items: Problem[] = [];

	error(code: string, path: string, message: string): void {
		this.items.push({ code, path, message, severity: "error" });
	}

	warn(code: string, path: string, message: string): void {
		this.items.push({ code, path, message, severity: "warning" });
	}

	get errors(): Problem[] {
		return this.items.filter((p) => p.severity === "error");
	}

	get warnings(): Problem[] {
		return this.items.filter((p) => p.severity === "warning");
	}
}
