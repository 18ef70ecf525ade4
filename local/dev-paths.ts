/**
 * Local-only routes of the front door that a client such as `npm run demo` calls. Kept apart from the
 * runtime so that a client importing them does not load the emulators.
 */

/** Mints a dev platform token: `GET /.dev/tokens?role=admin|member&sub=<id>` -> `{ token, sub, role }`. */
export const DEV_TOKENS_PATH = '/.dev/tokens';
/** The SES emulator's store of sent mail (its `GET /store`), passed through so one origin is enough. */
export const DEV_SENT_EMAILS_PATH = '/.dev/sent-emails';
/**
 * Plays SES feedback about a notification: `POST /.dev/ses-feedback?member=<id>&address=<email>&type=
 * hard-bounce|soft-bounce|complaint` puts the event SES would publish on the local event bus.
 */
export const DEV_SES_FEEDBACK_PATH = '/.dev/ses-feedback';
/** Where `npm run demo` looks for `npm start` unless DEMO_API_URL says otherwise (start's default port). */
export const DEMO_DEFAULT_API_URL = 'http://127.0.0.1:3000';
