/**
 * PHONES_FILE: a JSON or YAML list of phones
 * `{ name, host, passcode, model?, allowSelfSigned?, auth?, username? }` for people who keep
 * configuration in files (`auth`: passcode, session or detect; default passcode; `username` default
 * admin). Loaded at start and upserted by name; the file stays the source for those phones on every
 * boot (a `detect` that already settled on a scheme keeps it while host, account and passcode stay).
 */
import fs from 'node:fs';
import { createPhoneBodySchema } from '@linedeck/contract';
import YAML from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config.ts';

const fileSchema = z.array(createPhoneBodySchema).superRefine((phones, ctx) => {
  const seen = new Set<string>();
  phones.forEach((p, i) => {
    if (seen.has(p.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate name "${p.name}"` });
    seen.add(p.name);
  });
});

export type FilePhone = z.infer<typeof createPhoneBodySchema>;

export function loadPhonesFile(file: string): FilePhone[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `PHONES_FILE ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? err}).`,
    );
  }
  let data: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    data = YAML.parse(text);
  } catch (err) {
    throw new ConfigError(
      `PHONES_FILE ${file}: not valid JSON or YAML (${(err as Error).message.split('\n')[0]}).`,
    );
  }
  // Also accept `{ phones: [...] }`, the natural shape of a YAML file.
  if (data && typeof data === 'object' && !Array.isArray(data) && 'phones' in data) {
    data = (data as { phones: unknown }).phones;
  }
  const parsed = fileSchema.safeParse(data ?? []);
  if (!parsed.success) {
    // Never quote values: one of them is a passcode.
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(
      `PHONES_FILE ${file} is not a list of { name, host, passcode, model?, allowSelfSigned?, auth?, username? }:\n${lines.join('\n')}`,
    );
  }
  return parsed.data;
}
