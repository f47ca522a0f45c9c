/**
 * A throwaway Postgres for the tests: Debian's postgresql binaries (initdb, pg_ctl under
 * /usr/lib/postgresql/N/bin), a cluster in a temp dir on a free loopback port, trust authentication on
 * 127.0.0.1 only, durability off (fsync, synchronous_commit) since the cluster is deleted afterwards.
 * Postgres refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export const POSTGRES_MISSING =
  'Postgres not installed: apt-get install postgresql (the Postgres run of the integration suite is SKIPPED)';

/** The newest installed Debian Postgres' bin directory, or undefined. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: the maintenance database, to create others. */
  url: string;
  stop(): Promise<void>;
}

/** `settings`: more `name=value` server settings (the bench loads pg_stat_statements). */
export async function startPostgresCluster(
  bin: string,
  { settings = [] }: { settings?: string[] } = {},
): Promise<PostgresCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-pg-'));
  const dataDir = path.join(dir, 'data');
  const isRoot = process.getuid?.() === 0;
  // As root: run each binary as `postgres`, which must own the directory. From inside it: the checkout
  // may sit in a directory that user cannot enter, and the binaries look up their working directory.
  const as = (file: string, args: string[]) =>
    isRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, file), ...args], { cwd: dir })
      : run(path.join(bin, file), args, { cwd: dir });
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  let port = 0;
  try {
    await as('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
    port = await freePort();
    const options = [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${dir}'`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
      ...settings.map((setting) => `-c ${setting}`),
    ].join(' ');
    await as('pg_ctl', [
      '-D',
      dataDir,
      '-o',
      options,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-t',
      '30',
      'start',
    ]);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await as('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
