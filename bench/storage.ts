/**
 * s. The storage seam: what the async repositories cost per operation, on SQLite and on Postgres, in the
 * same run. Two operations a request pays for: the session check every signed-in request makes
 * (session row, then its user) and the audit row every command writes before it answers.
 *
 * Baseline: the same statements (compiled by Kysely, so the SQL is identical) prepared once and run
 * synchronously on the better-sqlite3 handle, as the store did before the seam. Postgres is compared
 * with the seam on SQLite. Each figure runs for a bounded time and count; the Postgres cluster is a
 * throwaway one in a temp dir (apps/server/src/test-support/postgres-cluster.ts), stopped at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createAuditRepository } from '../apps/server/src/audit/audit-repository.ts';
import { openDatabase, type Store } from '../apps/server/src/store/database.ts';
import {
  POSTGRES_MISSING,
  postgresBinDir,
  startPostgresCluster,
} from '../apps/server/src/test-support/postgres-cluster.ts';
import { createUsersRepository } from '../apps/server/src/users/users-repository.ts';
import { type Figure, failed, figure } from './lib/report.ts';

const BENCH = 's. storage seam';
const WINDOW_MS = 1500;
const MAX_OPS = 200_000;
const SESSION = 'bench-session';

/** Runs `op` for WINDOW_MS (at most MAX_OPS times) after a short warm-up; answers operations per second. */
async function rate(op: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await op();
  const started = performance.now();
  let n = 0;
  while (n < MAX_OPS && performance.now() - started < WINDOW_MS) {
    await op();
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}

async function seed(store: Store): Promise<void> {
  const users = createUsersRepository(store.db, store.dialect);
  const user = await users.insertUser(
    { username: 'bench', passwordHash: 'x', role: 'operator', phoneIds: [], mustChangePassword: false },
    new Date().toISOString(),
  );
  await users.insertSession(
    { idHash: SESSION, userId: user.id, displayKeyId: null, expiresAt: Number.MAX_SAFE_INTEGER },
    Date.now(),
  );
}

function operations(store: Store) {
  const users = createUsersRepository(store.db, store.dialect);
  const audit = createAuditRepository(store.db);
  return {
    async sessionCheck() {
      const session = await users.getSession(SESSION);
      if (!session?.userId || !(await users.getUser(session.userId))) throw new Error('no session');
    },
    auditInsert: () =>
      audit.insertMany([
        {
          at: new Date().toISOString(),
          userId: 'u',
          username: 'bench',
          role: 'operator',
          address: '127.0.0.1',
          phoneId: 'p',
          action: 'keys:send',
          params: { keys: '1' },
          result: 'ok',
        },
      ]),
  };
}

/**
 * The pre-seam path: the same SQL as prepared statements, run synchronously on a better-sqlite3 handle
 * of the same file (WAL, as the server opens it).
 */
function synchronousBaseline(store: Store, file: string) {
  const handle = new BetterSqlite3(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  const prepare = (q: { sql: string; parameters: readonly unknown[] }) => {
    const statement = handle.prepare(q.sql);
    return { statement, parameters: [...q.parameters] };
  };
  const session = prepare(
    store.db.selectFrom('sessions').selectAll().where('id_hash', '=', SESSION).compile(),
  );
  const user = store.db.selectFrom('users').selectAll().where('id', '=', '?').compile();
  const userStatement = handle.prepare(user.sql);
  const insert = handle.prepare(
    store.db
      .insertInto('audit')
      .values({
        at: '',
        user_id: '',
        username: '',
        role: '',
        address: '',
        phone_id: '',
        action: '',
        params_json: '',
        result: '',
      })
      .compile().sql,
  );
  return {
    close: () => handle.close(),
    sessionCheck() {
      const row = session.statement.get(...session.parameters) as { user_id: string } | undefined;
      if (!row || !userStatement.get(row.user_id)) throw new Error('no session');
    },
    auditInsert: () =>
      insert.run(
        new Date().toISOString(),
        'u',
        'bench',
        'operator',
        '127.0.0.1',
        'p',
        'keys:send',
        '{"keys":"1"}',
        'ok',
      ),
  };
}

export async function storageSeam(): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-bench-store-'));
  const stores: Store[] = [];
  let cluster: Awaited<ReturnType<typeof startPostgresCluster>> | undefined;
  try {
    const sqlite = await openDatabase({ dataDir: dir });
    stores.push(sqlite);
    await seed(sqlite);
    const before = synchronousBaseline(sqlite, path.join(dir, 'linedeck.db'));
    const after = operations(sqlite);
    const rows = {
      session: { before: await rate(before.sessionCheck), after: await rate(after.sessionCheck) },
      audit: { before: await rate(before.auditInsert), after: await rate(after.auditInsert) },
    };
    before.close();
    const figures: Figure[] = [
      figure({
        bench: BENCH,
        name: 'session check (session + user), SQLite',
        unit: 'ops/s',
        value: rows.session.after,
        baseline: rows.session.before,
        baselineLabel: 'synchronous prepared statements',
        note: `${(1e6 / rows.session.after).toFixed(1)} µs per request through the seam`,
      }),
      figure({
        bench: BENCH,
        name: 'audit row written, SQLite',
        unit: 'ops/s',
        value: rows.audit.after,
        baseline: rows.audit.before,
        baselineLabel: 'synchronous prepared statement',
        note: `${(1e6 / rows.audit.after).toFixed(1)} µs per command through the seam`,
      }),
    ];
    const bin = postgresBinDir();
    if (!bin) return [...figures, failed(`${BENCH} (Postgres)`, new Error(POSTGRES_MISSING))];
    cluster = await startPostgresCluster(bin);
    const postgres = await openDatabase({ dataDir: dir, databaseUrl: cluster.url });
    stores.push(postgres);
    await seed(postgres);
    const pg = operations(postgres);
    const pgSession = await rate(pg.sessionCheck);
    const pgAudit = await rate(pg.auditInsert);
    figures.push(
      figure({
        bench: BENCH,
        name: 'session check (session + user), Postgres',
        unit: 'ops/s',
        value: pgSession,
        baseline: rows.session.after,
        baselineLabel: 'the seam on SQLite',
        note: `${(1e6 / pgSession).toFixed(1)} µs per request (two loopback round trips)`,
      }),
      figure({
        bench: BENCH,
        name: 'audit row written, Postgres',
        unit: 'ops/s',
        value: pgAudit,
        baseline: rows.audit.after,
        baselineLabel: 'the seam on SQLite',
        note: `${(1e6 / pgAudit).toFixed(1)} µs per command (fsync off in the throwaway cluster)`,
      }),
    );
    return figures;
  } finally {
    for (const s of stores) await s.close();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
