// The sign-in page: a plain form (works without JavaScript: POST, then a redirect), labelled
// fields, and the error next to the form. Shown only when passwords are in use (not in Access mode).
import { Layout } from "./layout.tsx";

export interface SignInView {
	csrfToken: string;
	/** Where to go after signing in (a same-site path). */
	next: string;
	/** The email typed in, kept when the form comes back with an error. */
	email?: string;
	/** A problem with the attempt as a whole (wrong password, too many attempts). */
	error?: string;
	fieldErrors?: { email?: string; password?: string };
}

export function SignInPage({ csrfToken, next, email, error, fieldErrors = {} }: SignInView) {
	return (
		<Layout title="Sign in" csrfToken={csrfToken}>
			<section class="sign-in" aria-labelledby="sign-in-title">
				<h1 id="sign-in-title">Sign in to Baton</h1>
				<form
					method="post"
					action="/sign-in"
					class="form"
					aria-describedby={error ? "sign-in-error" : undefined}
				>
					{error ? (
						<div id="sign-in-error" class="alert alert-error" role="alert">
							{error}
						</div>
					) : null}
					<input type="hidden" name="_csrf" value={csrfToken} />
					<input type="hidden" name="next" value={next} />
					<div class="field">
						<label for="sign-in-email">Email</label>
						<input
							id="sign-in-email"
							name="email"
							type="email"
							autocomplete="username"
							required
							maxlength={254}
							value={email ?? ""}
							autofocus
							aria-invalid={fieldErrors.email ? "true" : undefined}
							aria-describedby={fieldErrors.email ? "sign-in-email-error" : undefined}
						/>
						{fieldErrors.email ? (
							<p id="sign-in-email-error" class="field-error">
								{fieldErrors.email}
							</p>
						) : null}
					</div>
					<div class="field">
						<label for="sign-in-password">Password</label>
						<input
							id="sign-in-password"
							name="password"
							type="password"
							autocomplete="current-password"
							required
							maxlength={1024}
							aria-invalid={fieldErrors.password ? "true" : undefined}
							aria-describedby={fieldErrors.password ? "sign-in-password-error" : undefined}
						/>
						{fieldErrors.password ? (
							<p id="sign-in-password-error" class="field-error">
								{fieldErrors.password}
							</p>
						) : null}
					</div>
					<button type="submit">Sign in</button>
				</form>
			</section>
		</Layout>
	);
}
