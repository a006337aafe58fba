// The error page (a navigation) and the error fragment (an htmx request): plain words, never a stack trace.
import { Layout } from "./layout.tsx";

export interface ErrorView {
	status: number;
	title: string;
	message: string;
	requestId?: string;
}

export function ErrorFragment({ title, message, requestId }: ErrorView) {
	return (
		<div class="alert alert-error" role="alert">
			<strong>{title}</strong> {message}
			{requestId ? <small> Reference: {requestId}</small> : null}
		</div>
	);
}

export function ErrorPage(props: ErrorView) {
	return (
		<Layout title={props.title}>
			<section class="error-page">
				<h1>{props.title}</h1>
				<p>{props.message}</p>
				{props.requestId ? <p class="muted">Reference: {props.requestId}</p> : null}
				<p>
					<a href="/">Back to the start page</a>
				</p>
			</section>
		</Layout>
	);
}
