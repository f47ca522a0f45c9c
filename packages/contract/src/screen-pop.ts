/**
 * Screen pop: a per-user address opened when a call rings or is answered, e.g.
 * `https://crm.example/search?phone={number}&name={name}`. Values are URL-encoded into the template;
 * only http(s) addresses and the placeholders below are accepted, so a template cannot run script
 * (`javascript:`) or carry a typo that would open a broken page on every call.
 */
import { z } from 'zod';

export {
  expandScreenPop,
  SCREEN_POP_PLACEHOLDERS,
  type ScreenPopPlaceholder,
  type ScreenPopValues,
  screenPopProblem,
} from './screen-pop-template.ts';

import { screenPopProblem } from './screen-pop-template.ts';

export const screenPopOpenOnSchema = z.enum(['ringing', 'answered']);

export const screenPopSettingsSchema = z.object({
  /** Null: no screen pop. */
  template: z.string().nullable(),
  openOn: screenPopOpenOnSchema,
});
export type ScreenPopSettings = z.infer<typeof screenPopSettingsSchema>;

export const screenPopBodySchema = z.strictObject({
  template: z
    .string()
    .trim()
    .max(2000)
    .nullable()
    .transform((t) => (t === '' ? null : t))
    .superRefine((t, ctx) => {
      const problem = t === null ? undefined : screenPopProblem(t);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  openOn: screenPopOpenOnSchema,
});
export type ScreenPopBody = z.input<typeof screenPopBodySchema>;
