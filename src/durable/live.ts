// Live updates of a process page: the ProcessObject keeps the server-sent-event streams of the pages
// watching it and, after each committed change, tells them the new revision (`process-changed`);
// the page then fetches its fragment through the Worker, where the viewer's rights are checked.
// When the process finishes, `process-finished` follows and the streams are closed.
// Streams live in the object, never in Worker globals: requests land on different isolates. An
// open stream keeps the object awake, hence the keep-alive comment every 20 s and no stream at all
// for finished processes.

const KEEP_ALIVE_MS = 20_000;
const encoder = new TextEncoder();

interface Client {
	controller: ReadableStreamDefaultController<Uint8Array>;
	timer: ReturnType<typeof setInterval>;
}

/** One `event: …` frame; `id:` lets a reconnecting client say which revision it has seen. */
export function sseFrame(event: string, data: string, id?: number): string {
	return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
}

/**
 * Open server-sent-event streams: each starts with its first frames (and `retry`), is kept alive,
 * hears every broadcast, and is dropped when its page goes. Shared by the process page's streams
 * here and the live inbox's (src/inbox-live/tasklist.ts).
 */
export class EventStreams {
	private readonly clients = new Set<Client>();

	get size(): number {
		return this.clients.size;
	}

	/** A new stream that begins with `first`; with `closeAfter`, it ends right after them. */
	open(first: readonly string[], closeAfter = false): Response {
		let client: Client | undefined;
		const body = new ReadableStream<Uint8Array>({
			start: (controller) => {
				controller.enqueue(encoder.encode("retry: 2000\n\n"));
				for (const frame of first) controller.enqueue(encoder.encode(frame));
				if (closeAfter) {
					controller.close();
					return;
				}
				const timer = setInterval(() => this.write(client, ": keep-alive\n\n"), KEEP_ALIVE_MS);
				client = { controller, timer };
				this.clients.add(client);
			},
			cancel: () => this.drop(client),
		});
		return new Response(body, {
			headers: {
				"Content-Type": "text/event-stream; charset=utf-8",
				"Cache-Control": "no-store",
				"X-Accel-Buffering": "no",
			},
		});
	}

	broadcast(frame: string): void {
		for (const client of [...this.clients]) this.write(client, frame);
	}

	/** Ends every stream (the process finished). */
	closeAll(): void {
		for (const client of [...this.clients]) {
			try {
				client.controller.close();
			} catch {
				// Already closed by the other side.
			}
			this.drop(client);
		}
	}

	private write(client: Client | undefined, text: string): void {
		if (!client) return;
		try {
			client.controller.enqueue(encoder.encode(text));
		} catch {
			this.drop(client);
		}
	}

	private drop(client: Client | undefined): void {
		if (!client) return;
		clearInterval(client.timer);
		this.clients.delete(client);
	}
}

export class LiveStreams {
	private readonly streams = new EventStreams();

	/** How many pages watch (for tests). */
	get size(): number {
		return this.streams.size;
	}

	/**
	 * A new stream. When the page was rendered at an older revision (`Last-Event-ID` on reconnect,
	 * else `?since=`), it is told at once, so a change between render and connect is not missed.
	 */
	connect(request: Request, revision: number, isFinished: boolean): Response {
		const seen = Number(
			request.headers.get("Last-Event-ID") ?? new URL(request.url).searchParams.get("since"),
		);
		const first: string[] = [];
		if (Number.isFinite(seen) && seen < revision) {
			first.push(sseFrame("process-changed", String(revision), revision));
		}
		if (isFinished) first.push(sseFrame("process-finished", String(revision)));
		return this.streams.open(first, isFinished);
	}

	/** After a commit: every watching page hears of the new revision; a finished process hangs up. */
	notify(revision: number, isFinished: boolean): void {
		this.streams.broadcast(sseFrame("process-changed", String(revision), revision));
		if (isFinished) {
			this.streams.broadcast(sseFrame("process-finished", String(revision)));
			this.streams.closeAll();
		}
	}
}
