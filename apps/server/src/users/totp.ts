/**
 * An admin's optional second factor: TOTP (RFC 6238 with otplib: 6 digits, 30 s, SHA-1, what every
 * authenticator app reads) and 10 one-time recovery codes.
 * - Enrolment stores a new secret sealed with the store's secret box (like phone passcodes) and leaves it
 *   off until a code of it is confirmed, so a scan that failed never locks anyone out.
 * - A code is accepted one step either side of now (clock drift), and each step once: a replayed code
 *   fails. Recovery codes are stored as SHA-256 and work once each.
 * - Signing in with a second factor is two requests: the password answers a ticket (kept in memory for
 *   5 minutes, 5 codes at most), the code with the ticket starts the session.
 */
import { randomBytes } from 'node:crypto';
import type { TotpEnrolment } from '@linedeck/contract';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { SecretBox } from '../store/crypto.ts';
import { hashSecret } from './secrets.ts';
import type { AuthService } from './service.ts';

const ISSUER = 'LineDeck';
const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const TICKET_MS = 5 * 60 * 1000;
const TICKET_ATTEMPTS = 5;
const MAX_TICKETS = 10_000;

interface Ticket {
  userId: string;
  expiresAt: number;
  attempts: number;
}

/** A recovery code as typed ("ABCDE-fghij", "abcde fghij") reduced to what is hashed. */
function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** `xxxxx-xxxxx` from a 32-letter alphabet (50 bits; 256 % 32 == 0, so every letter is equally likely). */
function newRecoveryCode(): string {
  const letters = [...randomBytes(10)].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${letters.slice(0, 5)}-${letters.slice(5)}`;
}

export class SecondFactor {
  private readonly tickets = new Map<string, Ticket>();

  constructor(
    private readonly service: AuthService,
    private readonly box: SecretBox,
  ) {}

  private get store() {
    return this.service.store;
  }

  private epochSeconds(): number {
    return Math.floor(this.service.now() / 1000);
  }

  /** A new secret for `userId` (off until confirmed), with its URI and QR code to scan. */
  async startEnrolment(userId: string, username: string): Promise<TotpEnrolment> {
    const secret = generateSecret();
    await this.store.setPendingTotp(userId, this.box.seal(secret, `totp:${userId}`), this.service.isoNow());
    const uri = generateURI({ issuer: ISSUER, label: username, secret });
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return { secret, uri, qrSvg };
  }

  /** The time step `code` belongs to, when it is a valid code of the user's secret and newer than the last. */
  private async matchingStep(userId: string, code: string): Promise<number | undefined> {
    const totp = await this.store.getTotp(userId);
    if (!totp?.sealedSecret || !/^\d{6}$/.test(code)) return undefined;
    const secret = this.box.open(totp.sealedSecret, `totp:${userId}`);
    const result = await verify({
      secret,
      token: code,
      epoch: this.epochSeconds(),
      epochTolerance: 30,
      ...(totp.lastStep === null ? {} : { afterTimeStep: totp.lastStep }),
    });
    // TOTP results carry the RFC 6238 step (otplib's union type also covers HOTP, which has none).
    return result.valid ? (result as { timeStep: number }).timeStep : undefined;
  }

  /** Turns the second factor on when `code` is right; answers the recovery codes, shown only now. */
  async confirmEnrolment(userId: string, code: string): Promise<string[] | undefined> {
    const totp = await this.store.getTotp(userId);
    if (!totp || totp.enabled) return undefined;
    const step = await this.matchingStep(userId, code);
    if (step === undefined) return undefined;
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await this.store.enableTotp(
      userId,
      step,
      codes.map((c) => hashSecret(normalizeRecoveryCode(c))),
      this.service.isoNow(),
    );
    return codes;
  }

  /** A code from the app (each step once) or an unused recovery code (then used up). */
  async checkCode(userId: string, code: string): Promise<boolean> {
    const totp = await this.store.getTotp(userId);
    if (!totp?.enabled) return false;
    const trimmed = code.trim();
    if (/^\d{6}$/.test(trimmed)) {
      const step = await this.matchingStep(userId, trimmed);
      return step !== undefined && (await this.store.takeTotpStep(userId, step));
    }
    return this.store.takeRecoveryCode(
      userId,
      hashSecret(normalizeRecoveryCode(trimmed)),
      this.service.isoNow(),
    );
  }

  async disable(userId: string): Promise<void> {
    await this.store.disableTotp(userId, this.service.isoNow());
  }

  async status(userId: string): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
    const totp = await this.store.getTotp(userId);
    const enabled = totp?.enabled === true;
    return { enabled, recoveryCodesLeft: enabled ? await this.store.countRecoveryCodesLeft(userId) : 0 };
  }

  /** After the right password: a ticket for the code step (its SHA-256 is kept, not the ticket). */
  issueTicket(userId: string): string {
    const now = this.service.now();
    for (const [key, t] of this.tickets) if (t.expiresAt <= now) this.tickets.delete(key);
    if (this.tickets.size >= MAX_TICKETS) this.tickets.clear();
    const ticket = `ldf_${randomBytes(32).toString('base64url')}`;
    this.tickets.set(hashSecret(ticket), { userId, expiresAt: now + TICKET_MS, attempts: 0 });
    return ticket;
  }

  /** The user a live ticket is for, counting one attempt; undefined when unknown, expired or used up. */
  ticketUser(ticket: string): string | undefined {
    const key = hashSecret(ticket);
    const t = this.tickets.get(key);
    if (!t) return undefined;
    t.attempts++;
    if (t.expiresAt <= this.service.now() || t.attempts > TICKET_ATTEMPTS) {
      this.tickets.delete(key);
      return undefined;
    }
    return t.userId;
  }

  /** The sign-in went through: the ticket is spent. */
  spendTicket(ticket: string): void {
    this.tickets.delete(hashSecret(ticket));
  }
}
