/**
 * Preloaded into the server child by profile-fleet.ts only (`--import`), like loop-delay-probe.ts: a CPU
 * profile of a steady-state window (node --cpu-prof would also hold the start-up), the heap figures and a
 * heap snapshot, on request over the IPC channel. No server code is involved.
 *   `profile:start` / `profile:stop` (writes PROFILE_DIR/server.cpuprofile), `alloc:start` / `alloc:stop`
 *   (sampled allocations, PROFILE_DIR/server.heapprofile), `heap:read`, `heap:snapshot`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

const dir = process.env.PROFILE_DIR ?? '.';
const session = new Session();
session.connect();

const post = (method: string, params: object = {}) =>
  new Promise<unknown>((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
  );

if (process.send) {
  process.on('message', (message: unknown) => {
    const answer = (type: string, extra: object = {}) => process.send?.({ type, ...extra });
    if (message === 'profile:start') {
      void post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: 500 }))
        .then(() => post('Profiler.start'))
        .then(() => answer('profile:started'));
    } else if (message === 'profile:stop') {
      void post('Profiler.stop').then((result) => {
        const file = path.join(dir, 'server.cpuprofile');
        writeFileSync(file, JSON.stringify((result as { profile: unknown }).profile));
        answer('profile:stopped', { file });
      });
    } else if (message === 'alloc:start') {
      void post('HeapProfiler.enable')
        .then(() =>
          post('HeapProfiler.startSampling', {
            samplingInterval: 16384,
            // Everything allocated, collected or not: the garbage is what the GC spends its time on.
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: process.env.PROFILE_MINOR_GC !== '0',
          }),
        )
        .then(() => answer('alloc:started'));
    } else if (message === 'alloc:stop') {
      void post('HeapProfiler.stopSampling').then((result) => {
        const file = path.join(dir, 'server.heapprofile');
        writeFileSync(file, JSON.stringify((result as { profile: unknown }).profile));
        answer('alloc:stopped', { file });
      });
    } else if (message === 'track:start') {
      void post('HeapProfiler.enable')
        .then(() => post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true }))
        .then(() => answer('track:started'));
    } else if (message === 'track:snapshot') {
      // What was allocated since track:start and is still alive: the snapshot carries each object's
      // allocation stack (trace_node_id), so what outlives a poll can be told from what dies young.
      const file = path.join(dir, 'tracked.heapsnapshot');
      const chunks: string[] = [];
      session.on('HeapProfiler.addHeapSnapshotChunk', (m) => chunks.push(m.params.chunk));
      void post('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false }).then(() => {
        writeFileSync(file, chunks.join(''));
        answer('track:snapshot', { file });
      });
    } else if (message === 'heap:read') {
      const spaces = Object.fromEntries(
        getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.space_used_size / 1e6)]),
      );
      answer('heap', { ...process.memoryUsage(), spaces });
    } else if (message === 'heap:snapshot') {
      answer('heap:snapshot', { file: writeHeapSnapshot(path.join(dir, 'server.heapsnapshot')) });
    }
  });
  process.channel?.unref();
}
