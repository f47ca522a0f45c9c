/**
 * Prometheus metrics (prom-client) in a registry of their own, so two servers in one process (tests)
 * never share counters. The hot path pays one histogram observe per poll and one counter increment per
 * command; phones by status and SSE clients are read only when Prometheus scrapes (collect callbacks).
 * No label carries a phone id: with a thousand phones each one would be a series per bucket. Every
 * label is a bounded set: poll and command error codes are API error codes, statuses the contract's.
 */
import { PHONE_STATUSES, type PhoneState } from '@linedeck/contract';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The poller reports each poll's duration and, when it failed, the error code. */
export interface PollObserver {
  onPoll(seconds: number, errorCode: string | null): void;
}

/** Commands report each command sent (`ok` or its error code) and each answered from the double-click window. */
export interface CommandObserver {
  onCommand(kind: string, outcome: string): void;
}

export interface MetricsSources {
  states(): readonly PhoneState[];
  sseClients(): number;
}

export interface Metrics {
  readonly registry: Registry;
  readonly poll: PollObserver;
  readonly command: CommandObserver;
  /** For webhook deliveries (outcome `delivered`, `failed`, `gave_up`): the webhooks' outbox calls it. */
  webhookDelivery(outcome: string): void;
  /** The scrape: Prometheus text format. */
  render(): Promise<string>;
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  // Process metrics (CPU, memory, event loop lag, GC): what a slow poll is usually explained by.
  collectDefaultMetrics({ register: registry, prefix: 'linedeck_' });

  const pollSeconds = new Histogram({
    name: 'linedeck_poll_duration_seconds',
    help: 'One poll of one phone (line status, and the reads due with it), queue wait included.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const pollErrors = new Counter({
    name: 'linedeck_poll_errors_total',
    help: 'Failed polls by error code (unreachable, timeout, phone_auth_failed, ...).',
    labelNames: ['code'],
    registers: [registry],
  });
  const commands = new Counter({
    name: 'linedeck_commands_total',
    help: 'Commands to phones by kind and outcome (ok, deduplicated, or the error code).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'linedeck_webhook_deliveries_total',
    help: 'Webhook deliveries by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'linedeck_phones',
    help: 'Phones by status.',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      const counts = new Map<string, number>(PHONE_STATUSES.map((s) => [s, 0]));
      for (const state of sources.states()) counts.set(state.status, (counts.get(state.status) ?? 0) + 1);
      for (const [status, n] of counts) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'linedeck_sse_clients',
    help: 'Open server-sent event streams (browsers, walls).',
    registers: [registry],
    collect() {
      this.set(sources.sseClients());
    },
  });

  return {
    registry,
    poll: {
      onPoll(seconds, errorCode) {
        pollSeconds.observe(seconds);
        if (errorCode) pollErrors.inc({ code: errorCode });
      },
    },
    command: {
      onCommand(kind, outcome) {
        commands.inc({ kind, outcome });
      },
    },
    webhookDelivery(outcome) {
      webhooks.inc({ outcome });
    },
    render: () => registry.metrics(),
  };
}
