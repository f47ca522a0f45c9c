/**
 * With no phone configured, the server starts a few simulated phones in its
 * own process (@linedeck/phone-sim's fleet: varied models, ephemeral ports,
 * demo calls) and registers them, so the dashboard is alive at once. They are
 * marked `simulated` in the store and dropped at the next boot (their ports
 * change every run). Once the server listens, each phone is pointed at the
 * server's Action URL hook, so the demo shows calls as they ring, not a poll later.
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
] as const satisfies readonly ActionEvent[];

/**
 * One template per event, as an admin sets them on a real phone. No `$display_remote`: a name with a
 * space breaks the request line, and the hook reads nothing from the query anyway.
 */
export function actionUrlTemplates(serverUrl: string, phoneId: string): ActionUrls {
  const base = `${serverUrl}${ACTION_URL_PATH}/${encodeURIComponent(phoneId)}`;
  return Object.fromEntries(PUSH_EVENTS.map((event) => [event, `${base}?event=${event}`]));
}

export interface SimulatedFleetOptions {
  count: number;
  registry: Registry;
  logger: Logger;
  /** Callers ring now and then (phone-sim's demo mode). Default true. */
  demo?: boolean;
}

export async function startSimulatedFleet(options: SimulatedFleetOptions): Promise<SimulatedFleet> {
  // A fresh random passcode per run: nothing guessable, and the simulator enforces it like a phone.
  const passcode = randomBytes(12).toString('base64url');
  const fleet = await startFleet({
    count: options.count,
    adminPasscode: passcode,
    userPasscode: randomBytes(12).toString('base64url'),
    demo: options.demo ?? true,
  });
  const ids: string[] = [];
  try {
    for (const phone of fleet.phones) {
      const record = options.registry.create({
        name: `${phone.name} (simulated)`,
        host: phone.host,
        passcode,
        model: phone.model,
        simulated: true,
      });
      // A real phone's firmware is read from its web UI by hand; the simulator can just tell us.
      options.registry.update(record.id, { firmware: phone.snapshot().firmware });
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
        if (id) phone.updateSettings({ actionUrls: actionUrlTemplates(serverUrl, id) });
      });
    },
    close: () => fleet.close(),
  };
}
