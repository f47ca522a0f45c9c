/**
 * With no phone configured, the server starts a few simulated phones in its
 * own process (@linedeck/phone-sim's fleet: varied models, ephemeral ports,
 * demo calls) and registers them, so the dashboard is alive at once. They are
 * marked `simulated` in the store and dropped at the next boot (their ports
 * change every run).
 */
import { randomBytes } from 'node:crypto';
import { type SimPhone, startFleet } from '@linedeck/phone-sim';
import type { Logger } from './logger.ts';
import type { Registry } from './phones/registry.ts';

export interface SimulatedFleet {
  phones: SimPhone[];
  close(): Promise<void>;
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
    }
  } catch (err) {
    await fleet.close();
    throw err;
  }
  options.logger.info(
    { count: fleet.phones.length },
    'no phone configured: started simulated phones (SIMULATED_PHONES=0 turns this off)',
  );
  return fleet;
}
