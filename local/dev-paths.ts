/**
 * Local-only routes of the front door that a client such as `npm run demo` calls. Kept apart from the
 * runtime so that a client importing them does not load the emulators.
 */

/** Mints a dev platform token: `GET /.dev/tokens?role=admin|member&sub=<id>` -> `{ token, sub, role }`. */
export const DEV_TOKENS_PATH = '/.dev/tokens';
/** The SES emulator's store of sent mail (its `GET /store`), passed through so one origin is enough. */
export const DEV_SENT_EMAILS_PATH = '/.dev/sent-emails';
