/**
 * Preloaded into the server child by profile-fleet.ts only (`--import`), like loop-delay-probe.ts: a CPU
 * profile of a steady-state window (node --cpu-prof would also hold the start-up), the heap figures and a
 * heap snapshot, on request over the IPC channel. No server code is involved.
 *   `profile:start` / `profile:stop` (writes PROFILE_DIR/server.cpuprofile), `heap:read`, `heap:snapshot`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

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
    } else if (message === 'heap:read') {
      answer('heap', { ...process.memoryUsage() });
    } else if (message === 'heap:snapshot') {
      answer('heap:snapshot', { file: writeHeapSnapshot(path.join(dir, 'server.heapsnapshot')) });
    }
  });
  process.channel?.unref();
}
