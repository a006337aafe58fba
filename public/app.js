// Baton's own script for every page (no inline scripts: the CSP allows 'self'). It is loaded
// before htmx and needs nothing from it: it only listens to htmx's events on the document.
// Everything works without it; it only adds polish:
// - after a swap, focus goes to an error summary that came with it (forms re-rendered with a 422);
// - the live indicator of a process page or the inbox shows whether its event stream is connected,
//   and words that promise live updates (`.live-only`) show only while one is;
// - times are shown in the reader's own time zone in their tooltips.
(() => {
	function focusErrorSummary(root) {
		const summary = (root || document).querySelector("[data-focus]");
		if (summary && typeof summary.focus === "function") summary.focus();
	}

	function localizeTimes(root) {
		for (const el of (root || document).querySelectorAll("time[data-local][datetime]")) {
			const date = new Date(el.getAttribute("datetime"));
			if (!Number.isNaN(date.getTime())) {
				el.title = date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
			}
		}
	}

	function setLive(el, connected) {
		if (!el) return;
		el.hidden = false;
		el.classList.toggle("is-connected", connected);
		document.documentElement.classList.toggle("is-live", connected);
		const text = el.querySelector(".live-text");
		if (text) text.textContent = connected ? "Live" : "Reconnecting…";
	}

	document.addEventListener("htmx:after:swap", (event) => {
		const target = event.detail?.ctx?.target;
		const scope = target instanceof Element ? (target.isConnected ? target : document) : document;
		localizeTimes(scope);
		// Only a form that came back with errors moves focus; live refreshes never steal it.
		if (event.detail?.ctx?.response?.status === 422) focusErrorSummary(scope);
	});

	document.addEventListener("htmx:sse:after:connection", (event) => setLive(event.target, true));
	document.addEventListener("htmx:sse:error", (event) => setLive(event.target, false));
	document.addEventListener("htmx:sse:close", (event) => {
		const el = event.target;
		if (!(el instanceof Element)) return;
		el.classList.remove("is-connected");
		document.documentElement.classList.remove("is-live");
		const text = el.querySelector(".live-text");
		if (text) text.textContent = event.detail?.reason === "message" ? "Finished" : "Offline";
	});

	// A diagram wider than its box opens scrolled to where the process is (the first active node).
	function centerDiagrams() {
		for (const box of document.querySelectorAll(".diagram-scroll")) {
			if (box.scrollWidth <= box.clientWidth) continue;
			const node = box.querySelector(".node.is-active") || box.querySelector(".event-start");
			if (!node) continue;
			const nodeBox = node.getBoundingClientRect();
			const frame = box.getBoundingClientRect();
			box.scrollLeft += nodeBox.left + nodeBox.width / 2 - (frame.left + frame.width / 2);
		}
	}

	function ready() {
		localizeTimes(document);
		centerDiagrams();
	}

	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
	else ready();
})();
