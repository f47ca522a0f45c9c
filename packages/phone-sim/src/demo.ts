/**
 * Demo mode: a living phone for a fresh `npm start`. Callers ring now and then (a random interval per
 * phone); the person at the desk answers some after a few seconds and talks for a while, other callers
 * give up after a few rings; the far end answers outgoing calls. Timers are unref'd and cleared by stop().
 */
import type { SimPhone } from './phone.ts';

export interface DemoOptions {
  /** Time between calls, picked per call between min and max. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
  /** Share of calls the desk answers. */
  answerRatio?: number;
  answerDelayMs?: readonly [number, number];
  talkMs?: readonly [number, number];
  giveUpMs?: readonly [number, number];
  /** The far end answers outgoing calls after this long (unless the phone has its own setting). */
  autoAnswerMs?: number;
  /** Same seed, same calls. */
  seed?: number;
}

/** Invented callers; numbers from ranges reserved for fiction (555-01xx, Ofcom drama, +49 30 2309...). */
export const DEMO_CALLERS: readonly { name: string; number: string }[] = [
  { name: 'Maria Schneider', number: '+493023090142' },
  { name: 'James Carter', number: '+12025550143' },
  { name: 'Aiko Tanaka', number: '+442079460958' },
  { name: 'Lucas Moreau', number: '+33199001234' },
  { name: 'Priya Raman', number: '+447700900461' },
  { name: 'Reception', number: '100' },
  { name: 'Noah Fischer', number: '2013' },
  { name: '', number: '+12025550177' },
  { name: 'Sofia Rossi', number: '+390655501234' },
  { name: 'Delivery Desk', number: '4411' },
  { name: 'Olivia Brown', number: '+16175550199' },
  { name: 'Support Line', number: '*97' },
];

/** mulberry32: tiny, good enough for demo variety, reproducible with a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts the demo on one phone; `index` varies the seed across a fleet. Returns stop(). */
export function startDemo(phone: SimPhone, options: DemoOptions = {}, index = 0): () => void {
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed + index);
  const between = ([min, max]: readonly [number, number]) => min + random() * (max - min);
  const interval: [number, number] = [options.minIntervalMs ?? 8000, options.maxIntervalMs ?? 40_000];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const sameCall = (line: number, callId: string, ...states: string[]) => {
    const current = phone.snapshot().lines[line - 1];
    return current?.callId === callId && states.includes(current.state);
  };

  const call = () => {
    const caller = DEMO_CALLERS[Math.floor(random() * DEMO_CALLERS.length)] ?? DEMO_CALLERS[0];
    const rung = caller ? phone.ring(caller.number, caller.name) : { ok: false };
    const line = rung.line;
    const callId = line ? (phone.snapshot().lines[line - 1]?.callId ?? '') : '';
    if (rung.ok && line) {
      if (random() < (options.answerRatio ?? 0.6)) {
        later(between(options.answerDelayMs ?? [2000, 6000]), () => {
          if (!sameCall(line, callId, 'ringing')) return;
          phone.operate('acceptcall', line);
          later(between(options.talkMs ?? [10_000, 60_000]), () => {
            if (!sameCall(line, callId, 'connected', 'onhold')) return;
            if (random() < 0.5) phone.farEndHangup(line);
            else phone.operate('endcall', line);
          });
        });
      } else {
        later(between(options.giveUpMs ?? [8000, 20_000]), () => {
          if (sameCall(line, callId, 'ringing')) phone.farEndHangup(line);
        });
      }
    }
    later(between(interval), call);
  };

  if (phone.snapshot().autoAnswerMs === null)
    phone.updateSettings({ autoAnswerMs: options.autoAnswerMs ?? 3000 });
  later(between(interval), call);
  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}
