// Supplier contract: the time and event constructs in one demo. Organization prepares a contract
// (due in a day); accounting approves it, reminded every four hours and escalated to organization's
// lead review when two days pass; then the supplier's signature is awaited as a message, for thirty
// days at most. A new contract round starts by itself every Monday at 9:00, Paris time.
import { defineWorkflow } from "../engine/index.ts";

export const supplierContract = defineWorkflow({
	key: "supplier-contract",
	name: "Supplier contract",
	description:
		"Prepare, approve (with a reminder and an escalation) and wait for the supplier's signature.",
	roles: [
		{ key: "organization", name: "Organization" },
		{ key: "accounting", name: "Accounting" },
	],
	startForm: {
		supplier: { label: "Supplier", type: "text", default: "Acme Catering" },
	},
	schedules: [{ name: "Monday contract round", cron: "0 9 * * 1", timezone: "Europe/Paris" }],
	nodes: [
		{
			key: "prepare",
			name: "Prepare the contract",
			role: "organization",
			task: "ask",
			start: true,
			due: "P1D",
			params: {
				questions: {
					amount: { label: "Amount (EUR)", type: "number", min: 0, required: true },
					terms: { label: "Terms", type: "longtext" },
				},
			},
		},
		{
			key: "approve",
			name: "Approve the contract",
			role: "accounting",
			task: "ask",
			due: "P2D",
			split: "xor",
			params: { questions: { approved: { label: "Approve this contract", type: "checkbox" } } },
		},
		{
			key: "reminder",
			name: "Reminder",
			description: "Reminds accounting every four hours, three times, while the approval waits.",
			task: "wait",
			attachedTo: "approve",
			interrupting: false,
			params: { cycle: "R3/PT4H" },
		},
		{
			key: "escalation",
			name: "Escalation",
			description: "Two days without an answer: the approval goes to organization.",
			task: "wait",
			attachedTo: "approve",
			params: { at: "due" },
		},
		{
			key: "decide",
			name: "Decide on the escalated contract",
			role: "organization",
			task: "ask",
			split: "xor",
			params: { questions: { approved: { label: "Approve this contract", type: "checkbox" } } },
		},
		{
			key: "awaitSignature",
			name: "Await the signature",
			task: "dummy",
			inline: true,
			join: "xor",
			split: "event",
		},
		{
			key: "signed",
			name: "Signed by the supplier",
			description: 'Publish the message "contract-signed" with this process id as its key.',
			task: "message",
			params: { message: "contract-signed", correlationKey: "= process.id" },
		},
		{ key: "lapsed", name: "No signature in 30 days", task: "wait", params: { duration: "P30D" } },
		{ key: "active", name: "Contract active", task: "dummy", inline: true, end: true },
		{ key: "expired", name: "Offer expired", task: "dummy", inline: true, end: true },
		{ key: "rejected", name: "Rejected", task: "dummy", inline: true, end: true, join: "xor" },
	],
	transitions: [
		{ from: "prepare", to: "approve" },
		{ from: "approve", to: "awaitSignature", condition: "= result.approved = true" },
		{ from: "approve", to: "rejected", condition: "= result.approved != true" },
		{ from: "escalation", to: "decide" },
		{ from: "decide", to: "awaitSignature", condition: "= result.approved = true" },
		{ from: "decide", to: "rejected", condition: "= result.approved != true" },
		{ from: "awaitSignature", to: "signed" },
		{ from: "awaitSignature", to: "lapsed" },
		{ from: "signed", to: "active" },
		{ from: "lapsed", to: "expired" },
	],
});
