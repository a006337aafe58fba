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
	| "StepBudgetRaised"
	/** N1: a waiting task took a message. */
	| "MessageReceived"
	/** N2: a `send` task published a message. */
	| "MessagePublished"
	/** B1: a boundary event fired on its host ("Reminder sent: no answer for 2 days"). */
	| "BoundaryFired"
	/** B4: an error boundary caught its host's error. */
	| "ErrorCaught"
	/** E1: a wait of an event-based gateway happened first; the others are revoked. */
	| "RaceWon"
	/** M1: a multi-instance node's instances, created or completed. */
	| "InstancesCreated"
	| "InstancesCompleted"
	/** C1: a scope's inner flow started or reached an end. */
	| "ScopeEntered"
	| "ScopeCompleted"
	/** K1: an external task's attempt was offered to workers; K2: its lock was extended or lapsed. */
	| "TaskOffered"
	/** O1–O3: operations on a running process. */
	| "ProcessSuspended"
	| "ProcessResumed"
	| "ProcessMigrated"
	| "ValuesCorrected"
	| "LockExtended"
	| "LockExpired";

export interface HistoryEvent {
	type: HistoryEventType;
	at: number;
	taskId?: string;
	node?: string;
	actor?: string;
	data?: Record<string, unknown>;
}
