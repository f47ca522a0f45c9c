/**
 * A lenient front for the Action URL hook only. Phones put display names into the request line
 * unencoded (`GET /hooks/action-url/<id>/<token>?name=John Doe HTTP/1.1`, field notes "Push, as phones
 * really send it"), and Node's HTTP parser answers such a line with 400 before any route runs. So the
 * first bytes of every new connection are looked at here: only when the request line starts with
 * `GET /hooks/action-url/` (or HEAD) and is not a well-formed `METHOD SP target SP HTTP/x.y`, the
 * characters a strict parser refuses are percent-encoded; then the socket, with its bytes put back, goes
 * to the HTTP server. Everything else is handed over byte for byte, so nothing else becomes lenient.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import { ACTION_URL_PATH } from './action-url-hook.ts';

/** A request line longer than this is not from a phone: handed over as it is (the parser decides). */
export const MAX_REQUEST_LINE = 2048;
/** A connection that says nothing (a browser's preconnect) is handed over after this, as it is. */
const PEEK_TIMEOUT_MS = 5000;

const PREFIXES = ['GET', 'HEAD'].map((method) => Buffer.from(`${method} ${ACTION_URL_PATH}/`, 'latin1'));

/** Characters RFC 3986 allows in a request target (a `%` only with two hex digits). */
const TARGET_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;
const WELL_FORMED = /^[A-Z]+ (?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})+ HTTP\/\d\.\d$/;

/** Could these first bytes still become a hook request line? */
function mayBeHook(head: Buffer): boolean {
  return PREFIXES.some((prefix) => {
    const n = Math.min(head.length, prefix.length);
    return head.subarray(0, n).equals(prefix.subarray(0, n));
  });
}

/**
 * The request line made acceptable to a strict parser, or null when it needs nothing (or cannot be
 * mended: no `HTTP/x.y` at its end). `line` is latin1 text without its line end.
 */
export function mendRequestLine(line: string): string | null {
  if (WELL_FORMED.test(line)) return null;
  const match = /^(GET|HEAD) (\/.*) (HTTP\/\d\.\d)$/.exec(line);
  if (!match?.[2]) return null;
  const target = match[2].replace(/%(?![0-9A-Fa-f]{2})|[^%]/g, (ch) =>
    ch !== '%' && TARGET_CHAR.test(ch)
      ? ch
      : `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `${match[1]} ${target} ${match[3]}`;
}

/** The connection's first bytes with the first request line mended (when it is a hook line that needs it). */
export function mendHead(head: Buffer): Buffer {
  if (!PREFIXES.some((prefix) => head.subarray(0, prefix.length).equals(prefix))) return head;
  const end = head.indexOf(0x0a);
  if (end === -1 || end > MAX_REQUEST_LINE) return head;
  const lineEnd = end > 0 && head[end - 1] === 0x0d ? end - 1 : end;
  const mended = mendRequestLine(head.subarray(0, lineEnd).toString('latin1'));
  if (mended === null) return head;
  return Buffer.concat([Buffer.from(mended, 'latin1'), head.subarray(lineEnd)]);
}

export interface HookFront {
  /** Drops connections still being looked at (the server is closing). */
  close(): void;
}

/**
 * Puts the front before `server`'s own connection handling. Only the FIRST request line of a connection
 * is looked at: phones send one request per connection (`Connection: close`), and looking at later
 * requests of a keep-alive or pipelined connection would mean parsing HTTP here. Bytes that arrived
 * after the first line (headers, a pipelined request) are handed over with it, unchanged and in order.
 */
export function installHookFront(server: http.Server): HookFront {
  const handlers = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  const pending = new Set<Socket>();

  server.on('connection', (socket: Socket) => {
    let head = Buffer.alloc(0);
    const finish = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onGone);
      socket.off('end', onGone);
      pending.delete(socket);
    };
    const handOver = () => {
      finish();
      socket.pause();
      if (head.length > 0) socket.unshift(mendHead(head));
      for (const handler of handlers) handler.call(server, socket);
      socket.resume();
    };
    // Gone before it said a whole line: nothing to hand over.
    const onGone = () => {
      finish();
      socket.destroy();
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      if (!mayBeHook(head) || head.includes(0x0a) || head.length > MAX_REQUEST_LINE) handOver();
    };
    const timer = setTimeout(handOver, PEEK_TIMEOUT_MS);
    timer.unref();
    pending.add(socket);
    socket.on('data', onData);
    socket.on('error', onGone);
    socket.on('end', onGone);
  });

  return {
    close() {
      for (const socket of pending) socket.destroy();
      pending.clear();
    },
  };
}
