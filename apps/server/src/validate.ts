/** Request validation with the contract's zod schemas: a failure is a 400 `invalid_input` with field issues. */
import type { z } from 'zod';
import { AppError, zodIssues } from './errors.ts';

export function parseBody<S extends z.ZodType>(
  schema: S,
  value: unknown,
  message = 'The request is not valid.',
): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new AppError('invalid_input', message, { issues: zodIssues(result.error) });
  }
  return result.data;
}
