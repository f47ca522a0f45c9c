import { z } from 'zod';

/** The contact a number matched (the server's lookup), as lines, events and the call journal carry it. */
export const callerContactSchema = z.object({
  id: z.string(),
  name: z.string(),
  company: z.string().nullable(),
});
export type CallerContact = z.infer<typeof callerContactSchema>;
