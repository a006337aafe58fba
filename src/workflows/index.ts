// The workflows Baton ships: JSON files in the documented format, and one written in TypeScript.
import type { WorkflowDefinition } from "../engine/index.ts";
import conference from "./conference.json" with { type: "json" };
import conferenceAutomated from "./conference-automated.json" with { type: "json" };
import loop from "./loop.json" with { type: "json" };
import { purchaseApproval } from "./purchase-approval.ts";
import splitJoin from "./split-join.json" with { type: "json" };
import { supplierContract } from "./supplier-contract.ts";
import twoPlusTwo from "./two-plus-two.json" with { type: "json" };

/** Shipped definitions, as authored (compile them against the task catalog before use). */
export const shippedWorkflows: readonly WorkflowDefinition[] = [
	conference as WorkflowDefinition,
	conferenceAutomated as WorkflowDefinition,
	loop as WorkflowDefinition,
	splitJoin as WorkflowDefinition,
	twoPlusTwo as WorkflowDefinition,
	purchaseApproval,
	supplierContract,
];
