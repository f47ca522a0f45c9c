/**
 * Replays every answer of the recorded corpus (packages/cti/fixtures/*.json: real captures and vendor
 * examples, each with its source) through the client's own parsing: the client talks to a fetch that
 * serves the recorded answer for the entry's function (and the recorded login around it on session
 * firmware), and the result or the CtiError must be what the entry expects.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CtiClient, createCtiClient } from './client.ts';
import { CtiError } from './errors.ts';
import type { FetchLike } from './transport.ts';

interface Entry {
  source: string;
  fn: string;
  status: number;
  /** null: the source did not record it. */
  contentType: string | null;
  body: unknown;
  expect: {
    args?: string[];
    keys?: string[];
    values?: Record<string, string>;
    result?: unknown;
    info?: unknown;
    error?: Record<string, unknown>;
  };
  scheme?: 'session';
  username?: string;
  captured?: boolean;
  note?: string;
}

const dir = new URL('../fixtures/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const corpus = files.flatMap((file) =>
  (JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Entry[]).map((entry) => ({ file, entry })),
);
const wp826 = corpus.filter((c) => c.file === 'wp826-1.0.3.35.json').map((c) => c.entry);
const recorded = (file: string) => wp826.find((e) => e.source.endsWith(`/tests/fixtures/${file}`)) as Entry;

/** What the phone around the entry answers: the recorded WP826 login, idle lines and config values. */
const AROUND: Record<string, Entry> = {
  access: recorded('access.json'),
  dologin: recorded('login_admin.json'),
  'api-get_line_status': recorded('line_status_idle.json'),
  config_get: recorded('config_get.json'),
  dologout: { ...recorded('config_update_ok.json'), body: { response: 'success', body: 'ok' } },
};

function serve(entry: Entry): FetchLike {
  return async (input) => {
    const fn = new URL(String(input)).pathname.replace('/cgi-bin/', '');
    const answer = fn === entry.fn ? entry : AROUND[fn];
    if (!answer) throw new Error(`the corpus replay has no answer for ${fn}`);
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    const headers: Record<string, string> = answer.contentType ? { 'content-type': answer.contentType } : {};
    return new Response(text, { status: answer.status, headers });
  };
}

async function replay(entry: Entry, client: CtiClient): Promise<unknown> {
  const [arg = ''] = entry.expect.args ?? [];
  switch (entry.fn) {
    case 'api-get_line_status':
      return client.getLineStatus();
    case 'api-get_phone_status':
      return client.getPhoneStatus();
    case 'api-get_accounts':
      return client.getAccounts();
    case 'api-phone_operation':
      return client.phoneOperation(arg as 'holdcall');
    case 'api-make_call':
      return client.makeCall(arg);
    case 'api-send_key':
      return client.sendKeys(arg.split(':'));
    case 'api-sys_operation':
      return client.sysOperation(arg as 'REBOOT');
    case 'access':
    case 'dologin':
      await client.getLineStatus();
      return client.info();
    case 'config_get':
      return client.getConfig(entry.expect.keys ?? []);
    case 'config_update':
      return client.setConfig(entry.expect.values ?? {});
    default:
      throw new Error(`no replay for ${entry.fn}`);
  }
}

describe('the recorded corpus', () => {
  it('holds 20+ entries, each with its source, function, status and body', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    for (const { entry } of corpus) {
      expect(entry.source.length).toBeGreaterThan(10);
      expect(typeof entry.fn).toBe('string');
      expect(Number.isInteger(entry.status)).toBe(true);
      expect(entry.body).toBeDefined();
      expect(Object.keys(entry.expect).some((k) => ['result', 'info', 'error'].includes(k))).toBe(true);
    }
  });

  it.each(
    corpus.map(
      ({ file, entry }) => [`${file}: ${entry.fn} (${entry.source.split('/').pop()})`, entry] as const,
    ),
  )('%s', async (_name, entry) => {
    const client = createCtiClient({
      host: '192.0.2.10',
      ...(entry.scheme === 'session'
        ? { credential: { scheme: 'session', username: entry.username ?? 'admin', secret: 'recorded' } }
        : { passcode: 'recorded' }),
      fetch: serve(entry),
    });
    const outcome = replay(entry, client);
    try {
      if (entry.expect.error) {
        const err = await outcome.then(
          () => new Error('expected a CtiError'),
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(CtiError);
        expect(err).toMatchObject(entry.expect.error);
      } else if (entry.expect.info) {
        expect(await outcome).toEqual(entry.expect.info);
      } else if (entry.expect.result === null) {
        expect(await outcome).toBeUndefined();
      } else {
        expect(await outcome).toMatchObject(entry.expect.result as object);
      }
    } finally {
      await client.close();
    }
  });
});
