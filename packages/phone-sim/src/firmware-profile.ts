/**
 * The firmware dialects a simulated phone speaks (briefs: firmware profiles; field notes, "Authentication
 * answers" and "Session login"). One phone speaks one dialect; a fleet may mix them.
 * - `passcode`: the guide's firmware: `passcode=` on every api-* call, a wrong one is a 401 HTML page.
 * - `passcode-wrongn`: `passcode=` too, but a wrong one answers `wrongN` (attempts left), then `locked`.
 * - `session`: session-only firmware: access nonce, dologin, a sid that expires, the config API.
 */
export const FIRMWARE_PROFILES = ['passcode', 'passcode-wrongn', 'session'] as const;
export type FirmwareProfile = (typeof FIRMWARE_PROFILES)[number];

export const DEFAULT_FIRMWARE_PROFILE: FirmwareProfile = 'passcode';

export function isFirmwareProfile(value: unknown): value is FirmwareProfile {
  return typeof value === 'string' && (FIRMWARE_PROFILES as readonly string[]).includes(value);
}

/** Reads a profile name for a CLI or an API; throws a readable Error. */
export function parseFirmwareProfile(value: string): FirmwareProfile {
  const trimmed = value.trim();
  if (!isFirmwareProfile(trimmed)) {
    throw new Error(`Unknown firmware profile ${value}; one of ${FIRMWARE_PROFILES.join(', ')}`);
  }
  return trimmed;
}
