/**
 * The `endless` fault: an HTTP 200 answer that starts like JSON and never ends, as a firmware bug or a
 * proxy gone wrong can stream one; a client must cut it off at its answer cap. Written with backpressure
 * (wait for `drain` when the socket buffer is full, yield to the event loop between chunks), so memory stays
 * flat however long the client reads, and writing stops as soon as the client closes.
 */
import type { ServerResponse } from 'node:http';

const CHUNK = Buffer.from(`${'{"line":1,"state":"idle","remotename":"","remotenumber":""},'.repeat(256)}`);

export function streamEndlessBody(res: ServerResponse, contentType: string): void {
  // No Content-Length: chunked, so the client cannot know the size in advance.
  res.writeHead(200, { 'Content-Type': contentType });
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  res.once('close', stop);
  res.once('error', stop);
  const pump = () => {
    if (stopped || res.destroyed) return;
    if (res.write(CHUNK)) setImmediate(pump);
    else res.once('drain', pump);
  };
  res.write('{"response":"success","body":[');
  pump();
}
