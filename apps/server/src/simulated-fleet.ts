/**
 * With no phone configured, the server starts a few simulated phones in its
 * own process (@linedeck/phone-sim's fleet: varied models, ephemeral ports,
 * demo calls) and registers them, so the dashboard is alive at once. They are
 * marked `simulated` in the store and dropped at the next boot (their ports
 * change every run). Once the server listens, each phone is pointed at its own
 * Action URL (with its hook token), so the demo shows calls as they ring, not a
 * poll later, and DND as it is pressed.
 */
import { randomBytes } from 'node:crypto';
import { type ActionEvent, type ActionUrls, type SimPhone, startFleet } from '@linedeck/phone-sim';
import type { Logger } from './logger.ts';
import { ACTION_URL_PATH } from './phones/action-url-hook.ts';
import type { Registry } from './phones/registry.ts';

export interface SimulatedFleet {
  phones: SimPhone[];
  /** The phones' ids in LineDeck, in the order of `phones`. */
  ids: string[];
  /** Points every phone's Action URLs at `serverUrl`'s hook; undefined: the phones cannot reach it. */
  useActionUrls(serverUrl: string | undefined, logger: Logger): void;
  close(): Promise<void>;
}

/** The events that change what LineDeck shows (docs/phone-setup.md, "Faster updates with Action URL"). */
export const PUSH_EVENTS = [
  'incoming',
  'outgoing',
  'established',
  'terminated',
  'missed',
  'hold',
  'unhold',
  'dnd_on',
  'dnd_off',
  'forward_on',
  'forward_off',
  'blind_transfer',
] as const satisfies readonly ActionEvent[];

/**
 * One template per event, as an admin sets them on a real phone: the phone's own URL (its hook token
 * makes the push trusted) with the caller's number and name (the hook front takes names with spaces).
 */
export function actionUrlTemplates(serverUrl: string, phoneId: string, token: string): ActionUrls {
  const base = `${serverUrl}${ACTION_URL_PATH}/${encodeURIComponent(phoneId)}/${encodeURIComponent(token)}`;
  return Object.fromEntries(
    PUSH_EVENTS.map((event) => [event, `${base}?event=${event}&remote=$remote&name=$display_remote`]),
  );
}

export interface SimulatedFleetOptions {
  count: number;
  registry: Registry;
  logger: Logger;
  /** Callers ring now and then (phone-sim's demo mode). Default true. */
  demo?: boolean;
}

/**
 * The demo shows both ways of signing in: the second phone runs session-only firmware (web login with a
 * nonce and a session id, as newer GRP firmware does), the others the CTI guide's passcode.
 */
const DEMO_FIRMWARE_PROFILES = ['passcode', 'session', 'passcode', 'passcode'] as const;

export async function startSimulatedFleet(options: SimulatedFleetOptions): Promise<SimulatedFleet> {
  // A fresh random passcode per run: nothing guessable, and the simulator enforces it like a phone.
  const passcode = randomBytes(12).toString('base64url');
  const fleet = await startFleet({
    count: options.count,
    adminPasscode: passcode,
    userPasscode: randomBytes(12).toString('base64url'),
    demo: options.demo ?? true,
    firmwareProfiles: DEMO_FIRMWARE_PROFILES,
  });
  const ids: string[] = [];
  try {
    for (const phone of fleet.phones) {
      const record = await options.registry.create({
        name: `${phone.name} (simulated)`,
        host: phone.host,
        passcode,
        model: phone.model,
        auth: phone.snapshot().firmwareProfile === 'session' ? 'session' : 'passcode',
        simulated: true,
      });
      // A real phone's firmware is read from its web UI by hand; the simulator can just tell us.
      await options.registry.update(record.id, { firmware: phone.snapshot().firmware });
      ids.push(record.id);
    }
  } catch (err) {
    await fleet.close();
    throw err;
  }
  options.logger.info(
    { count: fleet.phones.length },
    'no phone configured: started simulated phones (SIMULATED_PHONES=0 turns this off)',
  );
  return {
    phones: fleet.phones,
    ids,
    useActionUrls(serverUrl, logger) {
      if (!serverUrl) {
        logger.info('simulated phones send no Action URL: the server does not listen on loopback');
        return;
      }
      fleet.phones.forEach((phone, i) => {
        const id = ids[i];
        if (id)
          phone.updateSettings({
            actionUrls: actionUrlTemplates(serverUrl, id, options.registry.hookToken(id)),
          });
      });
    },
    close: () => fleet.close(),
  };
}
