/**
 * Starts the browser tests' world: the simulated phones of fixtures/stack-config.ts
 * in this process, and the real LineDeck server as a child process that knows
 * them only through a PHONES_FILE, exactly as a user would configure real phones.
 * The server is the bundle `npm run build` made (apps/server/dist/index.mjs), as `npm start` runs it:
 * the browser tests also catch what bundling could break.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPhone } from '@linedeck/phone-sim';
import { ADMIN_PASSWORD, SERVER_PORT, STACK_PHONES } from './fixtures/stack-config.ts';

const dataDir = join(process.cwd(), 'test-results', `e2e-data-${SERVER_PORT}`);
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const phones = await Promise.all(
  STACK_PHONES.map((p) =>
    startPhone({
      port: p.port,
      model: p.model,
      name: p.name,
      adminPasscode: p.passcode,
      rebootMs: 2500,
      // A wrong passcode must not lock the phone during a test run.
      lockoutMs: 1000,
    }),
  ),
);

const phonesFile = join(dataDir, 'phones.json');
writeFileSync(
  phonesFile,
  JSON.stringify(
    STACK_PHONES.map((p) => ({
      name: p.name,
      host: `127.0.0.1:${p.port}`,
      passcode: p.configuredPasscode,
      model: p.model,
    })),
  ),
);

const server = spawn(process.execPath, ['apps/server/dist/index.mjs'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: String(SERVER_PORT),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PHONES_FILE: phonesFile,
    SIMULATED_PHONES: '0',
    POLL_INTERVAL_MS: '250',
    ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    // National numbers (030 1234567) are read as German ones: caller ID and search compare E.164.
    DEFAULT_COUNTRY: 'DE',
  },
});

async function shutdown(code: number): Promise<never> {
  server.kill('SIGTERM');
  await Promise.all(phones.map((p) => p.close()));
  process.exit(code);
}
server.on('exit', (code) => void shutdown(code ?? 1));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
