/** What the admin sees when the console cannot start: the reason, and a way to try again. */
export const StartupError = ({ error, onSignIn }: { error: unknown; onSignIn: () => void }) => (
  <main id="main" className="startup-error">
    <h1>The console could not start</h1>
    <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
    <button type="button" className="button button-primary" onClick={onSignIn}>
      Sign in again
    </button>
  </main>
);
