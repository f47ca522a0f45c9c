/**
 * A user's own account: their sessions, and an admin's TOTP second factor with recovery codes
 * (docs/security.md, "Round two: accounts").
 */
import { z } from 'zod';

/** `GET /api/account/sessions`: the signed-in user's sessions, newest first. */
export const accountSessionSchema = z.object({
  /** A stable name for the session, never its secret nor the stored hash of it. */
  id: z.string(),
  /** The browser's User-Agent when it signed in ('' when it sent none). */
  userAgent: z.string(),
  /** The client address it signed in from. */
  address: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  /** The session that asked. */
  current: z.boolean(),
});
export type AccountSession = z.infer<typeof accountSessionSchema>;

/** `GET /api/account`. */
export const accountSchema = z.object({
  /** Only admins may turn on a second factor. */
  totpAvailable: z.boolean(),
  totpEnabled: z.boolean(),
  recoveryCodesLeft: z.number().int(),
});
export type Account = z.infer<typeof accountSchema>;

/** `POST /api/account/totp`: a new secret to scan; on only after `confirm` took a code of it. */
export const totpEnrolmentSchema = z.object({
  secret: z.string(),
  /** `otpauth://totp/LineDeck:<user>?secret=...&issuer=LineDeck` */
  uri: z.string(),
  /** The URI as a QR code, an SVG document. */
  qrSvg: z.string(),
});
export type TotpEnrolment = z.infer<typeof totpEnrolmentSchema>;

/** A 6-digit code from the app, or (signing in) a recovery code. */
export const totpCodeBodySchema = z.strictObject({
  code: z.string().trim().min(6).max(32),
});

/** `POST /api/account/totp/confirm` answers the recovery codes, the only time they are shown. */
export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

/** `POST /api/session` for a user with a second factor: no cookie yet, a ticket for the code step. */
export const secondFactorChallengeSchema = z.object({
  secondFactor: z.literal('totp'),
  /** For `POST /api/session/second-factor`, once, within 5 minutes. */
  ticket: z.string(),
});
export type SecondFactorChallenge = z.infer<typeof secondFactorChallengeSchema>;

/** `POST /api/session/second-factor`. */
export const secondFactorBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(64),
  ticket: z.string().min(1).max(200),
  code: z.string().trim().min(6).max(32),
});
