/**
 * With no phone configured, the server starts a few simulated phones in its
 * own process (different models, on ephemeral ports) and registers them, so
 * the dashboard is alive at once. They are marked `simulated` in the store
 * and dropped at the next boot (their ports change every run).
 */
import { randomBytes } from 'node:crypto';
import { type SimPhone, startPhone } from '@linedeck/phone-sim';
import type { Logger } from './logger.ts';
import type { Registry } from './phones/registry.ts';

const FLEET = [
  { name: 'Reception', model: 'GRP2614' },
  { name: 'Sales', model: 'GRP2612' },
  { name: 'Warehouse', model: 'GRP2602' },
  { name: 'Support', model: 'GRP2636' },
  { name: 'Front Desk', model: 'GRP2616' },
  { name: 'Lab', model: 'GRP2601' },
  { name: 'Conference Room', model: 'GRP2650' },
  { name: 'Office', model: 'GRP2670' },
] as const;

const CALLERS = [
  { number: '+4930123456', name: 'Ada Lovelace' },
  { number: '0301234567', name: 'Grace Hopper' },
  { number: '2001', name: '' },
  { number: '+14155550100', name: 'Alan Turing' },
] as const;

export interface SimulatedFleet {
  phones: SimPhone[];
  close(): Promise<void>;
}

export interface FleetOptions {
  count: number;
  registry: Registry;
  logger: Logger;
  /** Incoming calls now and then, answered or missed, so the dashboard moves. Default true. */
  demo?: boolean;
}

export async function startSimulatedFleet(options: FleetOptions): Promise<SimulatedFleet> {
  const phones: SimPhone[] = [];
  for (let i = 0; i < options.count; i++) {
    const spec = FLEET[i % FLEET.length] as (typeof FLEET)[number];
    const round = Math.floor(i / FLEET.length);
    const name = `${spec.name}${round > 0 ? ` ${round + 1}` : ''} (simulated)`;
    // A fresh random passcode per run: nothing guessable, and the simulator enforces it like a phone.
    const passcode = randomBytes(12).toString('base64url');
    const phone = await startPhone({
      port: 0,
      model: spec.model,
      name: name.replace(' (simulated)', ''),
      adminPasscode: passcode,
      userPasscode: `${passcode}-user`,
      autoAnswerMs: 2500,
    });
    phones.push(phone);
    options.registry.create({ name, host: phone.host, passcode, model: spec.model, simulated: true });
  }
  const demo = options.demo === false ? undefined : startDemo(phones);
  options.logger.info(
    { count: phones.length },
    'no phone configured: started simulated phones (SIMULATED_PHONES=0 turns this off)',
  );
  return {
    phones,
    async close() {
      demo?.stop();
      await Promise.all(phones.map((p) => p.close()));
    },
  };
}

/** Now and then a caller rings a phone; the desk answers some calls and misses others. */
function startDemo(phones: SimPhone[]): { stop(): void } {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const later = (ms: number, fn: () => void) => {
    if (stopped) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    t.unref();
    timers.add(t);
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;
  const scene = () => {
    const phone = pick(phones);
    const caller = pick(CALLERS);
    const rang = phone.ring(caller.number, caller.name);
    if (rang.ok && rang.line !== undefined) {
      const line = rang.line;
      if (Math.random() < 0.6) {
        later(3000 + Math.random() * 4000, () => {
          phone.operate('acceptcall', line);
          later(8000 + Math.random() * 20000, () => phone.farEndHangup(line));
        });
      } else {
        later(6000 + Math.random() * 6000, () => phone.farEndHangup(line));
      }
    }
    later(6000 + Math.random() * 12000, scene);
  };
  later(2000, scene);
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
