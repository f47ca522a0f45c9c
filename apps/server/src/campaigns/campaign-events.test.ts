/** SSE `campaign` events: to whoever sees one of the campaign's phones, never to a wall's display key. */
import type { CampaignEvent } from '@linedeck/contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventHub } from '../events.ts';
import { createLogger } from '../logger.ts';
import { openSse, sleep } from '../test-support/harness.ts';
import { type HubServer, serveHub } from '../test-support/hub-server.ts';

let hub: EventHub;
let served: HubServer;
let url: string;

beforeAll(async () => {
  hub = new EventHub({ logger: createLogger({ level: 'silent' }), heartbeatMs: 100 });
  served = await serveHub(hub);
  url = served.url;
});

afterAll(async () => {
  await served?.close();
});

it('goes to who sees any of its phones, live and replayed; a display key gets none', async () => {
  const event: CampaignEvent = { campaignId: 'c1', phoneIds: ['a', 'b'], campaign: null };
  const everyone = openSse(url);
  const seesB = openSse(`${url}?only=b`);
  const seesC = openSse(`${url}?only=c`);
  const wall = openSse(`${url}?wall`);
  try {
    await Promise.all([everyone, seesB, seesC, wall].map((c) => c.next((f) => f.event === 'freshness')));
    const id = hub.publish({ type: 'campaign', data: event });
    await everyone.next((f) => f.event === 'campaign');
    await seesB.next((f) => f.event === 'campaign');
    await sleep(250);
    expect(seesC.frames.some((f) => f.event === 'campaign')).toBe(false);
    expect(wall.frames.some((f) => f.event === 'campaign')).toBe(false);
    // Resuming from before it replays it to those who may see it, and still not to the wall.
    const replayWall = openSse(`${url}?wall`, { 'last-event-id': String(id - 1) });
    const replayB = openSse(`${url}?only=b`, { 'last-event-id': String(id - 1) });
    await replayB.next((f) => f.event === 'campaign');
    await replayWall.next((f) => f.event === 'freshness');
    expect(replayWall.frames.some((f) => f.event === 'campaign')).toBe(false);
    replayWall.close();
    replayB.close();
  } finally {
    for (const c of [everyone, seesB, seesC, wall]) c.close();
  }
});
