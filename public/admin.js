// The admin pages' one script (no inline scripts: the CSP allows 'self'). Everything works
// without it; it only asks before an act that cannot be undone: a form with data-confirm is sent
// only when the question is answered OK. It listens in the capture phase, before htmx sees the
// submit, so plain and htmx forms are guarded alike.
(() => {
	document.addEventListener(
		"submit",
		(event) => {
			const form = event.target;
			if (!(form instanceof HTMLFormElement)) return;
			const question = form.dataset.confirm;
			if (question && !window.confirm(question)) {
				event.preventDefault();
				event.stopImmediatePropagation();
			}
		},
		true,
	);
})();
