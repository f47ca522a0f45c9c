/** Public API of @linedeck/cti: the typed GRP26xx CTI client, its error type and the protocol vocabulary. */

export { authFailureOfAnswer, authFailureOfStatus, isSessionExpiredBody } from './auth/answers.ts';
export * from './auth/auth-failure.ts';
export * from './auth/credential.ts';
export { DEFAULT_KEEP_ALIVE_MS } from './auth/session.ts';
export {
  type CommandResult,
  type CtiClient,
  type CtiClientOptions,
  createCtiClient,
  DEFAULT_TIMEOUT_MS,
  MAX_ACCOUNTS,
  MAX_KEYS,
  MAX_LINE,
  type MakeCallOptions,
  type PhoneOperationOptions,
} from './client.ts';
export {
  CONFIG_KEY_PATTERN,
  MAX_CONFIG_KEYS,
  MAX_CONFIG_VALUE_LENGTH,
} from './config-api.ts';
export * from './config-keys.ts';
export { type Envelope, parseEnvelope } from './envelope.ts';
export {
  CTI_ERROR_CODES,
  CtiError,
  type CtiErrorCode,
  type CtiErrorOptions,
  isCtiError,
  redactPasscode,
  redactSecrets,
} from './errors.ts';
export * from './models.ts';
export {
  type Account,
  type Line,
  type PhoneStatus,
  parseAccounts,
  parseLines,
  parsePhoneStatus,
} from './parse.ts';
export * from './protocol.ts';
export {
  buildRequestUrl,
  type CgiFunction,
  type FetchLike,
  isConnectionDrop,
  MAX_ANSWER_BYTES,
  type ParsedHost,
  parseHost,
  type RawResponse,
} from './transport.ts';
