/**
 * Child processes of the bench: the simulator CLI and the real server, each in its own process so the
 * process under test is measured alone (/proc/<pid>/stat) and the load generator does not share its event
 * loop. Every child is tracked and killed when the bench ends, normally, on an error or on Ctrl+C.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const live = new Set<ChildProcess>();

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Everything the child printed on stdout so far. */
  stdout(): string;
  /** The last few KB of stderr, for error messages. */
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects when the child exits or time runs out. */
  waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray>;
  /** Sends an IPC message and resolves with the first answer of `type` (children spawned with `ipc`). */
  ask<T>(message: string, type: string, ms?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  ipc?: boolean;
}

/** Spawns `node <args>` from the repository root (no shell: the pid is node's own). */
export function spawnNode(name: string, args: string[], options: SpawnOptions = {}): Child {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`${name}: could not start`);
  live.add(proc);
  let out = '';
  let err = '';
  // Always drained: a child blocked on a full pipe would look like a slow server.
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err = (err + chunk).slice(-8000);
  });
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      live.delete(proc);
      resolve(code);
    });
  });

  return {
    name,
    pid: proc.pid,
    process: proc,
    stdout: () => out,
    stderr: () => err,
    async waitFor(pattern, ms) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const match = out.match(pattern);
        if (match) return match;
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(`${name} exited (${proc.exitCode ?? proc.signalCode}): ${err.trim().slice(-2000)}`);
        }
        await sleep(20);
      }
      throw new Error(`${name}: no ${pattern} within ${ms} ms; stderr: ${err.trim().slice(-2000)}`);
    },
    ask<T>(message: string, type: string, ms = 5000) {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          proc.off('message', onMessage);
          reject(new Error(`${name}: no ${type} answer within ${ms} ms`));
        }, ms);
        const onMessage = (answer: unknown) => {
          if ((answer as { type?: unknown } | null)?.type !== type) return;
          clearTimeout(timer);
          proc.off('message', onMessage);
          resolve(answer as T);
        };
        proc.on('message', onMessage);
        proc.send(message);
      });
    },
    async stop(graceMs = 5000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Last resort when the bench exits: no child outlives it. */
export function killAll(): void {
  for (const proc of live) proc.kill('SIGKILL');
  live.clear();
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

let ticks: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat times. */
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** CPU seconds (user + system, every thread) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces: state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return (utime + stime) / clockTicks();
}

/** Resident memory of a process in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}
