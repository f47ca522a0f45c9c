/**
 * Helpers of the desk journeys (desk-*.spec.ts): users made through the API and signed in through the
 * form in a context of their own, and phones started inside a spec so the stack phones stay as they are.
 */
import { type SimPhone, startPhone } from '@linedeck/phone-sim';
import type {
  APIRequestContext,
  Browser,
  BrowserContext,
  BrowserContextOptions,
  Page,
} from '@playwright/test';
import { BASE_URL, expect, signInThroughForm } from './fixtures/test.ts';

export async function phoneIds(adminApi: APIRequestContext): Promise<Map<string, string>> {
  const phones = (await (await adminApi.get('/api/phones')).json()) as { id: string; name: string }[];
  return new Map(phones.map((p) => [p.name, p.id]));
}

export async function createUser(
  adminApi: APIRequestContext,
  data: { username: string; password: string; role: 'admin' | 'operator' | 'viewer'; phoneIds: string[] },
): Promise<string> {
  const response = await adminApi.post('/api/users', { data });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

export async function signedInAs(
  browser: Browser,
  username: string,
  password: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    storageState: { cookies: [], origins: [] },
    ...options,
  });
  const page = await context.newPage();
  await signInThroughForm(page, username, password);
  return { context, page };
}

/** A simulated phone of the spec's own, known to the server under `name`. */
export async function ownPhone(
  adminApi: APIRequestContext,
  name: string,
): Promise<{ sim: SimPhone; id: string; remove: () => Promise<void> }> {
  const sim = await startPhone({
    port: 0,
    model: 'GRP2614',
    adminPasscode: 'own-phone-pass-1',
    lockoutMs: 1000,
  });
  const created = await adminApi.post('/api/phones', {
    data: { name, host: `127.0.0.1:${sim.port}`, passcode: 'own-phone-pass-1', model: 'GRP2614' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = ((await created.json()) as { id: string }).id;
  let removed = false;
  return {
    sim,
    id,
    remove: async () => {
      if (!removed) await adminApi.delete(`/api/phones/${id}`);
      removed = true;
      await sim.close();
    },
  };
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
