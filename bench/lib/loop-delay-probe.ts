/**
 * Preloaded into the server child (`node --import <this file, built> apps/server/dist/index.mjs`, stack.ts) so
 * the bench reads the server's event-loop delay without any code in the server: the server exposes no
 * metrics, and a latency sampler from outside (GET /api/health) would measure HTTP, not the loop.
 * perf_hooks.monitorEventLoopDelay runs in the server's own main thread; the bench talks to it over the
 * IPC channel: `loop-delay:reset` starts a window, `loop-delay:read` answers the window's figures.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

// The histogram records the time between two ticks of a RESOLUTION_MS timer; the delay is what exceeds it.
const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);

if (process.send) {
  process.on('message', (message: unknown) => {
    if (message === 'loop-delay:reset') {
      histogram.reset();
      process.send?.({ type: 'loop-delay:reset' });
    } else if (message === 'loop-delay:read') {
      process.send?.({
        type: 'loop-delay',
        p50Ms: ms(histogram.percentile(50)),
        p99Ms: ms(histogram.percentile(99)),
        maxMs: ms(histogram.max),
        meanMs: ms(histogram.mean),
        resolutionMs: RESOLUTION_MS,
        samples: histogram.count,
      });
    }
  });
  // The channel must not keep the server alive after SIGTERM: its clean shutdown waits for an empty loop.
  process.channel?.unref();
}

export interface LoopDelay {
  type: 'loop-delay';
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  resolutionMs: number;
  samples: number;
}
