// The history of a process: past-tense events returned by every step, stored by the adapter.

export type HistoryEventType =
	| "ProcessCreated"
	| "ProcessStarted"
	| "ProcessSucceeded"
	| "ProcessFailed"
	| "ProcessRevoked"
	| "ProcessReopened"
	| "TaskCreated"
	| "TaskAssigned"
	| "InputRequested"
	| "ValuesSubmitted"
	| "TaskStarted"
	| "TaskProgressed"
	| "TaskSucceeded"
	| "TaskRetried"
	| "TaskFailed"
	| "TaskRevoked"
	| "TaskRedispatched"
	| "HookFailed"
	| "TaskLogged"
	| "TimerSet"
	| "SubprocessStarted"
	| "ArrivalsDiscarded"
	| "JoinWaiting"
	| "AlternativeTaken"
	| "FailureRoutingWithdrawn"
	| "IncidentRaised"
	| "IncidentResolved"
	| "StepBudgetExhausted"
	| "StepBudgetRaised";

export interface HistoryEvent {
	type: HistoryEventType;
	at: number;
	taskId?: string;
	node?: string;
	actor?: string;
	data?: Record<string, unknown>;
}
