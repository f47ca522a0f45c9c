/**
 * The closed vocabulary of the GRP26xx CTI protocol, from the vendor guide
 * (shared/docs/grp26xx-cti-guide.md) and the field notes (cti-field-notes.md).
 * Client, simulator, server and contract all import these lists, so a key or a
 * command exists in exactly one place.
 */

/** The CTI functions, the `<function>` in `/cgi-bin/<function>`. */
export const CTI_FUNCTIONS = [
  'api-get_line_status',
  'api-get_phone_status',
  'api-get_accounts',
  'api-phone_operation',
  'api-make_call',
  'api-send_key',
  'api-sys_operation',
] as const;
export type CtiFunction = (typeof CTI_FUNCTIONS)[number];

/** `cmd=` of api-phone_operation. `unhold` is not in the guide but some firmware knows it (field notes). */
export const PHONE_OPERATIONS = [
  'endcall',
  'holdcall',
  'acceptcall',
  'rejectcall',
  'cancel',
  'unhold',
] as const;
export type PhoneOperation = (typeof PHONE_OPERATIONS)[number];

/** `request=` of api-sys_operation. RESET needs the admin passcode. */
export const SYS_REQUESTS = ['REBOOT', 'RESET'] as const;
export type SysRequest = (typeof SYS_REQUESTS)[number];

/** Line states seen on GRP26xx firmware. Anything else is reported as `unknown` with its raw text. */
export const LINE_STATES = [
  'idle',
  'dialing',
  'ringing',
  'calling',
  'connected',
  'onhold',
  'failed',
] as const;
export type KnownLineState = (typeof LINE_STATES)[number];

/** `body` of api-get_phone_status. */
export const PHONE_STATUSES = ['available', 'unavailable', 'ringing', 'busy', 'unauthorized'] as const;
export type PhoneStatusValue = (typeof PHONE_STATUSES)[number];

/** Keypad digits as api-send_key takes them (`1:0:0:0` dials 1000). */
export const DIGIT_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;

/** Named keys of the guide's "Sending Keys Functions" table. */
export const NAMED_KEYS = [
  'SPEAKER',
  'XFER',
  'VUP',
  'VDOWN',
  'MUTE',
  'HOLD',
  'CONF',
  'VM',
  'HEADSET',
  'DND',
  'SEND',
  'STAR',
  'ONHOOK',
  'OFFHOOK',
  'OK',
  'LOCK',
  'UNLOCK',
  'UP',
  'DOWN',
  'LEFT',
  'RIGHT',
] as const;

/** Numbered key families and their highest index across the GRP26xx range. */
export const NUMBERED_KEYS = { LINE: 16, SOFT: 4, MPK: 48 } as const;

const NUMBERED_KEY_PATTERN = /^(LINE|SOFT|MPK)([1-9][0-9]?)$/;

/** True when `key` is one api-send_key accepts: a digit, a named key, or LINE1..16, SOFT1..4, MPK1..48. */
export function isValidKey(key: string): boolean {
  if ((DIGIT_KEYS as readonly string[]).includes(key)) return true;
  if ((NAMED_KEYS as readonly string[]).includes(key)) return true;
  const match = NUMBERED_KEY_PATTERN.exec(key);
  if (!match) return false;
  const family = match[1] as keyof typeof NUMBERED_KEYS;
  const index = Number(match[2]);
  return index >= 1 && index <= NUMBERED_KEYS[family];
}

/**
 * A dialable number: digits with an optional leading `+`, and `*`/`#` for
 * feature codes, 1 to 64 characters. Anything else (spaces, `&`, letters) is
 * refused before a request is built.
 */
export const PHONE_NUMBER_PATTERN = /^\+?[0-9*#]{1,64}$/;

export function isValidPhoneNumber(number: string): boolean {
  return number.length <= 64 && PHONE_NUMBER_PATTERN.test(number);
}

/** Call forward as LineDeck models it: off, or one of three conditions with a target number. */
export const FORWARD_MODES = ['off', 'always', 'busy', 'noanswer'] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];
export interface ForwardSetting {
  mode: ForwardMode;
  /** The target; empty when `mode` is `off`. */
  number: string;
}
