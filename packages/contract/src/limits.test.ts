/**
 * The web bundle stays free of zod (~27 KB gzip): it takes values only from zod-free modules
 * (`@linedeck/contract/limits`, `/screen-pop-template`, `/vocabulary`, `@linedeck/cti/protocol`, `@linedeck/cti/models`) and only types
 * from `@linedeck/contract`. Vite keeps a module whose values are imported, so one stray
 * `import { X } from '@linedeck/contract'` in apps/web brings zod back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every `import`/`export ... from` statement of a file, as written. */
function importStatements(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*['"][^'"]+['"]/gm)].map((m) => m[0]);
}

describe('browser-safe modules', () => {
  it('the zod-free modules the web app takes values from import nothing that could bring zod', () => {
    for (const file of [
      'packages/contract/src/limits.ts',
      'packages/contract/src/screen-pop-template.ts',
      'packages/contract/src/vocabulary.ts',
      'packages/cti/src/protocol.ts',
      'packages/cti/src/models.ts',
    ]) {
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const statement of importStatements(text)) {
        expect(statement, file).toMatch(/from\s*['"]\.\/[^'"]+['"]$/);
      }
      expect(text, file).not.toMatch(/['"]zod['"]/);
    }
  });

  it('the web app imports only types from @linedeck/contract', () => {
    const files = sources(path.join(root, 'apps/web/src'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((file) =>
      importStatements(readFileSync(file, 'utf8'))
        .filter((s) => /['"]@linedeck\/contract['"]$/.test(s) && !/^\s*(?:import|export)\s+type\b/.test(s))
        .map((s) => `${path.relative(root, file)}: ${s.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
