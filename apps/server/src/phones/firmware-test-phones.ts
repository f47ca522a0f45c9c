/**
 * For the firmware tests: a simulated phone of a given firmware profile added to a running harness with
 * a credential scheme (`auth`), which the harness's own addPhone does not send. Its passcodes join the
 * harness's secrets, so `expectNoSecrets` covers them.
 */
import http from 'node:http';
import type { PhoneAuthChoice } from '@linedeck/contract';
import { type PhoneOptions, type SimPhone, startPhone } from '@linedeck/phone-sim';
import { expect } from 'vitest';
import { type Harness, uniquePasscode } from '../test-support/harness.ts';

export interface FirmwarePhone {
  id: string;
  name: string;
  sim: SimPhone;
  admin: string;
}

export interface FirmwarePhoneSpec extends PhoneOptions {
  name: string;
  auth?: PhoneAuthChoice;
  username?: string;
  /** What LineDeck is given; the phone's admin passcode by default. */
  passcode?: string;
}

export function firmwarePhones(h: () => Harness) {
  const sims: SimPhone[] = [];
  return {
    async add(spec: FirmwarePhoneSpec): Promise<FirmwarePhone> {
      const { auth, username, passcode, ...options } = spec;
      const admin = uniquePasscode('admin');
      const user = uniquePasscode('user');
      const sim = await startPhone({ ...options, port: 0, adminPasscode: admin, userPasscode: user });
      sims.push(sim);
      const given = passcode ?? admin;
      for (const secret of [admin, user, given]) h().secrets.add(secret);
      const res = await h().api('POST', '/api/phones', {
        name: spec.name,
        host: sim.host,
        passcode: given,
        ...(auth ? { auth } : {}),
        ...(username ? { username } : {}),
      });
      expect(res.status, res.text).toBe(201);
      return { id: (res.body as { id: string }).id, name: spec.name, sim, admin };
    },
    async closeAll(): Promise<void> {
      await Promise.all(sims.splice(0).map((s) => s.close()));
    },
  };
}

/** How many requests of one function (or all) the phone saw. */
export function count(sim: SimPhone, fn?: string): number {
  return sim.requestLog().filter((e) => fn === undefined || e.function === fn).length;
}

/** The phone's Action URL push, from loopback like a simulated phone's (no token: a wake-up only). */
export function push(url: string, phoneId: string, event = 'incoming'): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/hooks/action-url/${encodeURIComponent(phoneId)}?event=${event}`, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}
