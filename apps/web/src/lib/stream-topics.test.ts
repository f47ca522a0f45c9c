import { describe, expect, it } from 'vitest';
import { onStreamTopicAdded, registerStreamTopic, streamTopic, streamTopicNames } from './stream-topics.ts';

describe('stream topics', () => {
  it('tells an open connection about a newly registered event name once, and replaces its handler', () => {
    const added: string[] = [];
    const off = onStreamTopicAdded((name) => added.push(name));
    const got: unknown[] = [];
    registerStreamTopic('test-topic', { receive: (d) => got.push(['first', d]), resync: () => {} });
    registerStreamTopic('test-topic', { receive: (d) => got.push(['second', d]), resync: () => {} });
    off();
    registerStreamTopic('test-later', { receive: () => {}, resync: () => {} });
    expect(added).toEqual(['test-topic']);
    expect(streamTopicNames()).toEqual(expect.arrayContaining(['test-topic', 'test-later']));
    streamTopic('test-topic')?.receive(7);
    expect(got).toEqual([['second', 7]]);
  });
});
