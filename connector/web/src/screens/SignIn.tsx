import { useState } from 'preact/hooks';
import { ApiProblem, checkToken, messageOf } from '../api.js';
import { TextField } from '../ui/Field.js';

/** Sign in with the connector's ADMIN_TOKEN; a refused token is explained next to the field. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (token: string) => void; notice?: string | undefined }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Enter the admin token.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await checkToken(value);
      onSignedIn(value);
    } catch (problem) {
      setError(
        problem instanceof ApiProblem && problem.status === 401
          ? 'The connector did not accept this admin token. Check it and try again: it is the ADMIN_TOKEN the connector was started with, or the one it printed at its first start.'
          : messageOf(problem),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="signin card" aria-labelledby="main-heading">
      <h1 id="main-heading" tabIndex={-1}>
        Sign in
      </h1>
      <p>Manage the Zapier accounts, webhook deliveries, trigger rules and conversation export of this connector.</p>
      {notice ? (
        <p class="notice" role="alert">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <TextField
          label="Admin token"
          type="password"
          name="admin-token"
          autocomplete="current-password"
          value={token}
          onInput={(value) => {
            setToken(value);
            if (error) setError(undefined);
          }}
          error={error}
          hint="The connector's ADMIN_TOKEN. It is kept in this browser tab only, until you sign out or close the tab."
        />
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
