/**
 * The contract's plain values, with no dependency at all (no zod): browser-safe,
 * for the web app's bundle. `@linedeck/contract` re-exports them; the web app
 * imports values only from here, `@linedeck/cti/protocol` and `@linedeck/cti/models`,
 * and only types from `@linedeck/contract` (which pulls zod into whatever imports a value).
 */

/** The shortest password the server accepts (it also refuses guessable ones: users/passwords.ts). */
export const PASSWORD_MIN_LENGTH = 12;

/**
 * Optional request header of the command routes: the client's own name for one intent. The same key
 * again within 1.5 s is answered from the first command; a new key is a new command even with an
 * identical body (DTMF "100", Resume after Hold). Without it, identical bodies are deduplicated.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The most rows one contacts import takes (`POST /api/contacts/import`). */
export const CONTACT_IMPORT_MAX_ROWS = 2000;
