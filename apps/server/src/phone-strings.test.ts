/**
 * Strings from a phone never carry that phone's secrets back out: a phone (or something posing as one)
 * that echoes its request (passcode, session password, sid, cookie) is scrubbed before its strings reach
 * the state, SSE, error messages, the passthrough body or the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneScrubber } from './phone-strings.ts';
import { firmwarePhones } from './phones/firmware-test-phones.ts';
import { type Harness, openSse, startHarness, waitFor } from './test-support/harness.ts';

let h: Harness;
const phones = firmwarePhones(() => h);

beforeAll(async () => {
  h = await startHarness([], { pollIntervalMs: 100, ctiTimeoutMs: 800 });
});
afterAll(async () => {
  await h?.close();
  await phones.closeAll();
});

interface Line {
  remoteName: string | null;
}

async function remoteNames(id: string): Promise<string[]> {
  const state = (await h.api<{ lines?: Line[] }>('GET', `/api/phones/${id}/state`)).body;
  return (state.lines ?? []).map((l) => l.remoteName ?? '');
}

function expectClean(texts: string[], secrets: string[]): void {
  for (const secret of secrets) {
    for (const text of texts) {
      for (const form of new Set([secret, encodeURIComponent(secret)])) {
        if (text.includes(form)) throw new Error(`A phone secret leaked into: ${text.slice(0, 300)}`);
      }
    }
  }
}

describe.each([
  ['passcode', {}],
  ['session', { firmwareProfile: 'session' as const, auth: 'session' as const }],
])('a phone that echoes its request (%s firmware)', (scheme, options) => {
  it('has its secrets scrubbed from state, SSE, errors, the passthrough and the log', async () => {
    const phone = await phones.add({ name: `Echo ${scheme}`, ...options });
    await waitFor(async () => (await h.api('GET', `/api/phones/${phone.id}/state`)).status === 200);
    const sse = openSse(`${h.url}/api/events`, h.authHeaders());
    phone.sim.injectFault({ kind: 'echo' });

    // The poll's echo reaches the state (scrubbed: the names are not the secret).
    const names = await waitFor(async () => {
      const all = await remoteNames(phone.id);
      return all.some((n) => n.includes('[redacted]')) ? all : undefined;
    });
    // The echo is the request's values (passcode; or sid and cookie): every one of them is scrubbed.
    for (const name of names) expect(name).toMatch(/^\[redacted\]( \[redacted\])*$/);
    const relayed = await h.raw(`/cti/${phone.id}/cgi-bin/api-get_line_status`);
    expect(relayed.status).toBe(200);
    expect(relayed.text).toContain('[redacted]');
    const command = await h.api<{ error: { message: string } }>('POST', `/api/phones/${phone.id}/keys`, {
      keys: ['1'],
    });
    expect(command.status).toBe(409);
    expect(command.body.error.message).toContain('[redacted]');
    const relayedCommand = await h.raw(`/cti/${phone.id}/cgi-bin/api-send_key?keys=2`);
    expect(relayedCommand.text).toContain('[redacted]');
    const test = await h.api('POST', `/api/phones/${phone.id}/test`);
    await waitFor(() => sse.frames.some((f) => JSON.stringify(f.data ?? '').includes('[redacted]')));
    sse.close();
    phone.sim.clearFaults();

    const secrets = [...h.secrets];
    expect(secrets.length).toBeGreaterThan(2);
    expectClean(
      [
        ...h.responses,
        ...h.logLines,
        test.text,
        ...sse.frames.map((f) => JSON.stringify(f)),
        JSON.stringify((await h.api('GET', `/api/phones/${phone.id}`)).body),
      ],
      secrets,
    );
  }, 20_000);
});

describe('the scrubber on the poll path', () => {
  const scrub = phoneScrubber(() => ['s3cret-pass', undefined]);

  it('gives back the same objects when nothing holds a secret (no copy, no garbage per poll)', () => {
    const answer = Object.freeze({ body: Object.freeze([Object.freeze({ line: 1, remotename: 'Ada' })]) });
    expect(scrub(answer)).toBe(answer);
  });

  it('copies only what changed, in every form the secret takes', () => {
    const lines = [{ remotename: 'Ada' }, { remotename: 'x s3cret-pass y' }];
    const out = scrub({ body: lines, note: 'passcode=abc&x=1' });
    expect(out.body[0]).toBe(lines[0]);
    expect(out.body[1]).toEqual({ remotename: 'x [redacted] y' });
    expect(out.note).toBe('passcode=[redacted]&x=1');
    expect(lines[1]?.remotename).toBe('x s3cret-pass y');
  });

  it('scrubs a frozen answer once while the secrets stay, and again when they change', () => {
    let secrets = ['s3cret-pass'];
    const scrubNow = phoneScrubber(() => secrets);
    const answer = Object.freeze([Object.freeze({ line: 1, remotename: 'x s3cret-pass y new-sid-1' })]);
    const first = scrubNow(answer);
    expect(first[0]?.remotename).toBe('x [redacted] y new-sid-1');
    // The same frozen answer (an unchanged poll) gets the same scrubbed copy, not a new walk and copy.
    expect(scrubNow(answer)).toBe(first);
    secrets = ['s3cret-pass', 'new-sid-1'];
    expect(scrubNow(answer)[0]?.remotename).toBe('x [redacted] y [redacted]');
    // An answer that is not frozen may change between calls: it is walked every time.
    const open = [{ remotename: 'plain' }];
    expect(scrubNow(open)).toBe(open);
    (open[0] as { remotename: string }).remotename = 'now s3cret-pass';
    expect(scrubNow(open)[0]?.remotename).toBe('now [redacted]');
  });
});
