/**
 * Many phones in one process, each on its own port, with a varied set of models so a fleet looks like a
 * real office (2 to 16 lines; never assume 3 or 8). Shared options apply to every phone.
 */
import type { DemoOptions } from './demo.ts';
import { startDemo } from './demo.ts';
import type { FirmwareProfile } from './firmware-profile.ts';
import type { PhoneOptions } from './options.ts';
import type { SimPhone } from './phone.ts';
import { startPhone } from './phone.ts';

export const FLEET_MODELS = [
  'GRP2614',
  'GRP2612',
  'GRP2601',
  'GRP2616',
  'GRP2624',
  'GRP2603',
  'GRP2636',
  'GRP2670',
  'GRP2602',
  'GRP2650',
] as const;

const DESKS = ['Front Desk', 'Sales', 'Support', 'Accounts', 'Warehouse', 'Reception', 'Lab', 'Boardroom'];

export interface FleetOptions extends Omit<PhoneOptions, 'port' | 'model' | 'name' | 'mac'> {
  count: number;
  /** Phone i listens on basePort + i; 0 or omitted: ephemeral ports. */
  basePort?: number;
  /** Models to cycle through; default FLEET_MODELS. */
  models?: readonly string[];
  /**
   * Firmware profiles to cycle through (phone i gets entry i mod length), so one fleet shows both
   * authentication schemes; default: `firmwareProfile` (or `passcode`) for every phone.
   */
  firmwareProfiles?: readonly FirmwareProfile[];
  /** Callers ring now and then; `true` or the demo's timing. */
  demo?: boolean | DemoOptions;
}

export interface Fleet {
  phones: SimPhone[];
  close(): Promise<void>;
}

export function fleetPhoneOptions(options: FleetOptions, i: number): PhoneOptions {
  const { count: _count, basePort, models, firmwareProfiles, demo: _demo, ...shared } = options;
  const list = models && models.length > 0 ? models : FLEET_MODELS;
  const profile = firmwareProfiles?.length ? firmwareProfiles[i % firmwareProfiles.length] : undefined;
  const name = `${DESKS[i % DESKS.length]}${i >= DESKS.length ? ` ${Math.floor(i / DESKS.length) + 1}` : ''}`;
  return {
    ...shared,
    port: basePort ? basePort + i : 0,
    model: list[i % list.length],
    firmwareProfile: profile ?? shared.firmwareProfile,
    name,
    mac: `c074ad${(0x100000 + i).toString(16).slice(-6)}`,
    accounts: shared.accounts ?? [{ sipId: String(2001 + i), name }],
  };
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const phones: SimPhone[] = [];
  const stops: (() => void)[] = [];
  const close = async () => {
    for (const stop of stops) stop();
    await Promise.all(phones.map((p) => p.close()));
  };
  try {
    for (let i = 0; i < options.count; i++) {
      const phone = await startPhone(fleetPhoneOptions(options, i));
      phones.push(phone);
      if (options.demo) stops.push(startDemo(phone, options.demo === true ? {} : options.demo, i));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { phones, close };
}
