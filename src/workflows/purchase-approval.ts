// Purchase approval, defined in TypeScript: large purchases in the EU go to finance for review
// (a FEEL condition over the request and the process params); the rest are approved at once.
import { defineWorkflow } from "../engine/index.ts";

const needsReview = '= result.total > 1000 and params.region = "EU"';

export const purchaseApproval = defineWorkflow({
	key: "purchase-approval",
	name: "Purchase approval",
	description: "A purchase request, reviewed by finance when it is large and in the EU.",
	params: { region: "EU" },
	roles: [
		{ key: "staff", name: "Staff" },
		{ key: "finance", name: "Finance" },
	],
	nodes: [
		{
			key: "request",
			name: "Request a purchase",
			role: "staff",
			task: "ask",
			start: true,
			split: "xor",
			params: {
				questions: {
					item: { label: "What to buy", required: true },
					total: { label: "Total (EUR)", type: "number", min: 0, required: true },
				},
			},
		},
		{
			key: "review",
			name: "Review the purchase",
			role: "finance",
			task: "ask",
			split: "xor",
			params: { questions: { approved: { label: "Approve this purchase", type: "checkbox" } } },
		},
		{ key: "approved", name: "Approved", task: "dummy", join: "xor", end: true },
		{ key: "rejected", name: "Rejected", task: "dummy", end: true },
	],
	transitions: [
		{ from: "request", to: "review", condition: needsReview },
		{ from: "request", to: "approved", condition: `= not(${needsReview.slice(2)})` },
		{ from: "review", to: "approved", condition: "= result.approved = true" },
		{ from: "review", to: "rejected", condition: "= result.approved != true" },
	],
});
