/**
 * CALL_RETENTION_DAYS: calls that ended longer ago than that are deleted, once at start and then once a
 * day. The timer is unref'd, so it never keeps a stopping process alive; a failed prune is logged and
 * tried again the next day (the journal only grows a little meanwhile).
 */
import type { Logger } from '../logger.ts';
import type { CallsStore } from './calls-store.ts';

export const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  days: number;
  logger: Logger;
  now?: () => Date;
}

export function startRetention(store: CallsStore, options: RetentionOptions): { stop(): void } {
  const now = options.now ?? (() => new Date());
  let stopped = false;
  async function prune(): Promise<void> {
    const before = new Date(now().getTime() - options.days * DAY_MS).toISOString();
    try {
      const deleted = await store.prune(before);
      if (deleted > 0) options.logger.info({ deleted, before }, 'old calls pruned from the journal');
    } catch (err) {
      if (!stopped) options.logger.error({ err }, 'pruning the call journal failed');
    }
  }
  void prune();
  const timer = setInterval(() => void prune(), RETENTION_INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
