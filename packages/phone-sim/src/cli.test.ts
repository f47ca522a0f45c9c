import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.ts';

const BIN = fileURLToPath(new URL('../bin/linedeck-phone-sim.js', import.meta.url));

describe('parseCli', () => {
  it('reads phones, base port, demo, model and passcodes', () => {
    const args = parseCli([
      '--phones',
      '4',
      '--base-port',
      '9101',
      '--demo',
      '--model',
      'grp2612w',
      '--passcode',
      'pw',
      '--user-passcode',
      'u',
    ]);
    expect(args.options).toMatchObject({
      count: 4,
      basePort: 9101,
      demo: true,
      models: ['GRP2612'],
      adminPasscode: 'pw',
      userPasscode: 'u',
    });
  });

  it('defaults to one phone on 9101 with a varied model mix', () => {
    expect(parseCli([]).options).toMatchObject({ count: 1, basePort: 9101, demo: false, models: undefined });
  });

  it('reads one firmware profile for all phones, or a list to cycle, and the session TTL', () => {
    expect(parseCli(['--firmware-profile', 'session', '--session-ttl', '5000']).options).toMatchObject({
      firmwareProfile: 'session',
      firmwareProfiles: undefined,
      sessionTtlMs: 5000,
    });
    expect(parseCli(['--profiles', 'passcode,session,passcode-wrongn']).options.firmwareProfiles).toEqual([
      'passcode',
      'session',
      'passcode-wrongn',
    ]);
    expect(parseCli([]).options).toMatchObject({ firmwareProfile: undefined, firmwareProfiles: undefined });
    expect(() => parseCli(['--firmware-profile', 'gxp'])).toThrow(/Unknown firmware profile gxp/);
    expect(() => parseCli(['--profiles', 'passcode,nope'])).toThrow(/Unknown firmware profile nope/);
    expect(() => parseCli(['--profiles', 'session', '--firmware-profile', 'session'])).toThrow(/exclude/);
    expect(() => parseCli(['--session-ttl', '0'])).toThrow(/session-ttl/);
  });

  it('refuses bad input', () => {
    expect(() => parseCli(['--phones', 'many'])).toThrow(/phones/);
    expect(() => parseCli(['--phones', '0'])).toThrow(/at least 1/);
    expect(() => parseCli(['--model', 'GRP9999'])).toThrow(/Unknown model/);
    expect(() => parseCli(['--colour', 'red'])).toThrow();
  });
});

describe('linedeck-phone-sim', () => {
  it('prints one line per phone, serves CTI, exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [
      BIN,
      '--phones',
      '2',
      '--base-port',
      '0',
      '--model',
      'GRP2601',
      '--profiles',
      'session,passcode',
    ]);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const end = Date.now() + 10_000;
      while (!out.includes('ready') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      const urls = [...out.matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map((m) => m[0]);
      expect(urls).toHaveLength(2);
      expect(out).toMatch(/GRP2601 .* 2 lines {2}admin passcode admin, user passcode 123/);
      expect(out).toMatch(/\(session login: admin \/ user\)\n.*\(passcode\)/);
      const answer = await fetch(`${urls[1]}/cgi-bin/api-get_phone_status?passcode=admin`);
      expect(await answer.json()).toMatchObject({ body: 'available' });
      // The session phone wants a login: a passcode alone is refused.
      const refused = await fetch(`${urls[0]}/cgi-bin/api-get_phone_status?passcode=admin`, {
        headers: { Referer: `${urls[0]}/` },
      });
      expect(refused.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
