/**
 * The server as it runs in production: one ES module, `apps/server/dist/index.mjs` (with its source map),
 * bundled by esbuild from `src/index.ts` and the workspace packages it uses (@linedeck/contract, cti,
 * phone-sim). Third-party packages stay imports, resolved from node_modules at run time: native ones
 * (better-sqlite3) cannot be bundled, and the rest are installed anyway.
 *
 * Why a build at all: `node --import tsx` compiles every TypeScript module at start and keeps the
 * loader, its caches and the source of every module in memory (about 50 MB of a 180 MB idle server,
 * docs/benchmarks.md), which a wall server left running for weeks pays for nothing. Development and the
 * unit tests still run the sources directly.
 *
 * `node --import tsx apps/server/build.ts` (part of `npm run build`); `buildServer()` for the benchmarks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SERVER_ENTRY = path.join(HERE, 'src/index.ts');
export const SERVER_BUNDLE = path.join(HERE, 'dist/index.mjs');

/** Bare imports other than our own workspace packages stay imports (node_modules at run time). */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@linedeck/') ? undefined : { path: args.path, external: true },
    );
  },
};

export async function buildServer(entry = SERVER_ENTRY, outfile = SERVER_BUNDLE): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [thirdPartyExternal],
    // CommonJS packages imported by name still work, and `require` exists for the few that need it.
    banner: {
      js: "import { createRequire as __ldCreateRequire } from 'node:module';\nconst require = __ldCreateRequire(import.meta.url);",
    },
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const out = await buildServer();
  process.stdout.write(
    `server bundled into ${path.relative(process.cwd(), out)} in ${Date.now() - started} ms\n`,
  );
}
