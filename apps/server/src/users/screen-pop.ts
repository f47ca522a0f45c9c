/**
 * Screen pop, per signed-in user: `GET /api/account/screen-pop` -> `{ template, openOn }` and
 * `PUT /api/account/screen-pop { template, openOn }` (a null or empty template turns it off). The
 * template is checked by the contract's rule (http(s) only, known placeholders) before it is stored;
 * the browser expands and opens it, since only the browser can open a page for the person.
 */
import { type ScreenPopSettings, screenPopBodySchema, screenPopSettingsSchema } from '@linedeck/contract';
import { type Response, Router } from 'express';
import type { Access } from '../access/access.ts';
import { principalOf } from '../access/access.ts';
import { AppError } from '../errors.ts';
import type { Db } from '../store/schema.ts';
import { parseBody } from '../validate.ts';

const OFF: ScreenPopSettings = { template: null, openOn: 'ringing' };

export interface ScreenPopStore {
  get(userId: string): Promise<ScreenPopSettings>;
  set(userId: string, settings: ScreenPopSettings): Promise<ScreenPopSettings>;
}

export function createScreenPopStore(db: Db, now: () => Date = () => new Date()): ScreenPopStore {
  return {
    async get(userId) {
      const row = await db
        .selectFrom('screen_pops')
        .select(['template', 'open_on'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!row) return OFF;
      return screenPopSettingsSchema.parse({ template: row.template, openOn: row.open_on });
    },
    async set(userId, settings) {
      if (settings.template === null) {
        await db.deleteFrom('screen_pops').where('user_id', '=', userId).execute();
        return { ...OFF, openOn: settings.openOn };
      }
      const row = {
        template: settings.template,
        open_on: settings.openOn,
        updated_at: now().toISOString(),
      };
      await db
        .insertInto('screen_pops')
        .values({ user_id: userId, ...row })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
        .execute();
      return settings;
    },
  };
}

function userIdOf(res: Response): string {
  const principal = principalOf(res);
  if (principal?.kind !== 'user' || !principal.userId) {
    throw new AppError('forbidden', 'Only a signed-in user has a screen pop.');
  }
  return principal.userId;
}

export function screenPopRoutes(deps: { store: ScreenPopStore; access: Access }): Router {
  const router = Router();
  router.get('/account/screen-pop', deps.access.authenticate, async (_req, res) => {
    res.json(await deps.store.get(userIdOf(res)));
  });
  router.put('/account/screen-pop', deps.access.authenticate, async (req, res) => {
    const userId = userIdOf(res);
    const body = parseBody(screenPopBodySchema, req.body, 'The screen pop is not valid.');
    res.json(await deps.store.set(userId, body));
  });
  return router;
}
