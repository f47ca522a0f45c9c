/**
 * Boot: read the environment, open the store, start pollers, listen, and
 * close cleanly on SIGTERM/SIGINT. `npm start` runs it bundled (apps/server/build.ts); `npm run dev` from source.
 */
import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger, resolveLogFormat } from './logger.ts';
import { startServer } from './server.ts';

/**
 * How far V8 lets the old generation grow past what the last full collection kept before it collects
 * again. Left to itself V8 grows it up to 4x for a heap this size: polling 2,000 phones promotes some
 * 9 MB/s of short-lived request objects (requests still in flight when a young collection runs), so the
 * server sat at 410-450 MB resident with about 70 MB live. 1.5x keeps it near 250 MB, its CPU cost within
 * the runs' noise (docs/benchmarks.md, last section). It only moves when a collection happens, never caps the heap:
 * a server that needs more memory still gets it. A `--heap-growing-percent` on the command line wins.
 */
const HEAP_GROWING_PERCENT = 50;

// V8 takes its flags with dashes or underscores.
if (!process.execArgv.some((a) => a.replaceAll('_', '-').startsWith('--heap-growing-percent'))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, format: resolveLogFormat(config.logFormat) });
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer(config, { logger });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  logger.info(
    { url: running.url, dataDir: config.dataDir, database: running.store.dialect },
    'LineDeck listening',
  );
  // On the console, not in the structured log: a generated first password is shown here once, and only here.
  const signIn =
    running.users?.signInMessage(running.url, running.firstStart) ?? `LineDeck is running at ${running.url}`;
  process.stdout.write(`${signIn}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C means "now".
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: stopping pollers, finishing commands');
    const timer = setTimeout(() => {
      logger.error('shutdown took longer than 10 s: exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    running.close().then(
      () => {
        logger.info('bye');
        logger.flush();
        process.exitCode = 0;
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`LineDeck failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
