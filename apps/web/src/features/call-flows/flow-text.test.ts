import type { CallFlow, LineView } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { lineRole, lineStatusText } from '../console/line-status.ts';
import { conferenceLines, failureText, flowProgress, rememberTargetName, targetLabel } from './flow-text.ts';

const flow = (over: Partial<CallFlow>): CallFlow => ({
  id: 'f1',
  kind: 'transfer',
  mode: 'attended',
  line: 1,
  number: '2001',
  consultLine: null,
  conferenceLines: [],
  stage: 'ringing',
  startedAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:01.000Z',
  startedBy: 'admin',
  reason: null,
  message: null,
  ...over,
});
const line = (n: number, state: string, remoteName = ''): LineView => ({
  line: n,
  state,
  known: true,
  remoteName,
  remoteNumber: n === 2 ? '2001' : '5551234',
  account: 0,
  active: false,
  conference: false,
  since: null,
});

describe('a flow in words', () => {
  it('names the target from its line, else the name chosen in the dialog, else the number', () => {
    expect(targetLabel(flow({ number: '7777' }), [])).toBe('7777');
    rememberTargetName('7778', 'Ada Lovelace');
    expect(targetLabel(flow({ number: '7778' }), [])).toBe('Ada Lovelace');
    expect(targetLabel(flow({ consultLine: 2 }), [line(2, 'connected', 'Grace Hopper')])).toBe(
      'Grace Hopper',
    );
  });

  it('says what is happening at each stage', () => {
    expect(flowProgress(flow({ stage: 'ringing' }), 'Ada Lovelace')).toBe(
      'Transferring to Ada Lovelace… ringing',
    );
    expect(flowProgress(flow({ stage: 'talking' }), 'Ada')).toMatch(/Ada answered: complete the transfer/);
    expect(flowProgress(flow({ kind: 'conference', mode: null, stage: 'dialing' }), 'Ada')).toBe(
      'Adding Ada to the call… dialling',
    );
    expect(flowProgress(flow({ stage: 'failed', reason: 'target_busy' }), 'Ada')).toBe(
      'Transfer failed: The number is busy.',
    );
    expect(failureText({ reason: 'no_answer', message: 'Nobody answered within 30 s.' })).toBe(
      'Nobody answered within 30 s.',
    );
  });

  it('a conference is its lines only once joined', () => {
    expect(conferenceLines(flow({ kind: 'conference', stage: 'ringing', conferenceLines: [] }))).toEqual([]);
    expect(conferenceLines(flow({ kind: 'conference', stage: 'joined', conferenceLines: [2, 1] }))).toEqual([
      1, 2,
    ]);
  });
});

describe('line roles and the status row', () => {
  it('gives each line its part in the flow', () => {
    const running = flow({ consultLine: 2 });
    expect(lineRole(running, 1)).toEqual({ kind: 'caller' });
    expect(lineRole(running, 2)).toEqual({ kind: 'consult' });
    expect(lineRole(running, 3)).toEqual({ kind: 'other' });
    expect(lineRole(flow({ stage: 'done' }), 1)).toEqual({ kind: 'free' });
    expect(lineRole(null, 1)).toEqual({ kind: 'free' });
  });

  it('shows progress on the caller line (announced) and a failure as bad', () => {
    const lines = [line(1, 'onhold')];
    const progress = lineStatusText({
      line: line(1, 'onhold'),
      ended: false,
      role: { kind: 'caller' },
      flow: flow({}),
      lines,
      times: undefined,
    });
    expect(progress).toEqual({ text: 'Transferring to 2001… ringing', tone: 'normal', live: true });
    const failed = flow({ stage: 'failed', reason: 'target_busy' });
    const after = lineStatusText({
      line: line(1, 'connected'),
      ended: false,
      role: lineRole(failed, 1),
      flow: failed,
      lines,
      times: undefined,
    });
    expect(after).toMatchObject({ tone: 'bad', live: true, text: 'Transfer failed: The number is busy.' });
  });

  it('says how long a call has been on hold, and the hold time in all', () => {
    const base = { ended: false, role: { kind: 'free' } as const, flow: null, lines: [] };
    expect(
      lineStatusText({
        ...base,
        line: line(1, 'onhold'),
        times: { callMs: 90_000, holdingMs: 42_000, heldMs: 42_000 },
      }).text,
    ).toBe('On hold for 0:42');
    expect(
      lineStatusText({
        ...base,
        line: line(1, 'onhold'),
        times: { callMs: 90_000, holdingMs: 2_000, heldMs: 12_000 },
      }).text,
    ).toBe('On hold for 0:02 · held 0:12 in all');
    expect(
      lineStatusText({ ...base, line: line(1, 'connected'), times: { callMs: 90_000, heldMs: 12_000 } }).text,
    ).toBe('Held 0:12 in all');
    expect(lineStatusText({ ...base, line: line(1, 'connected'), ended: true, times: undefined }).text).toBe(
      'Call ended',
    );
  });
});
