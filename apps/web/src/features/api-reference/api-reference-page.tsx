import type { OpenApiDocument, OpenApiOperation } from '@linedeck/contract/openapi';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { api } from '../../lib/api-client.ts';
import { errorText } from '../../lib/error-text.ts';
import { type JsonSchema, schemaText } from './schema-text.ts';

interface Row {
  method: string;
  path: string;
  op: OpenApiOperation;
}

const METHOD_COLOURS: Record<string, string> = {
  get: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  post: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  put: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  patch: 'bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200',
  delete: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
};

function rowsByTag(doc: OpenApiDocument, filter: string): Map<string, Row[]> {
  const needle = filter.trim().toLowerCase();
  const groups = new Map<string, Row[]>(doc.tags.map((t) => [t.name, []]));
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const text = `${method} ${path} ${op.summary} ${op['x-linedeck-access']}`.toLowerCase();
      if (needle && !text.includes(needle)) continue;
      const tag = op.tags[0] ?? 'Other';
      groups.set(tag, [...(groups.get(tag) ?? []), { method, path, op }]);
    }
  }
  return groups;
}

function Code({ children }: { children: string }) {
  return (
    <code className="break-words rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs dark:bg-zinc-800">
      {children}
    </code>
  );
}

function Operation({ row }: { row: Row }) {
  const { op } = row;
  const body = op.requestBody?.content['application/json'].schema as JsonSchema | undefined;
  return (
    <details className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <summary className="flex min-h-11 cursor-pointer flex-wrap items-center gap-2 px-3 py-2">
        <span
          className={`w-16 rounded px-1.5 py-0.5 text-center font-mono font-semibold text-xs uppercase ${METHOD_COLOURS[row.method] ?? ''}`}
        >
          {row.method}
        </span>
        <span className="font-mono text-sm">{row.path}</span>
        <span className="text-sm text-zinc-700 dark:text-zinc-300">{op.summary}</span>
      </summary>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 border-zinc-200 border-t px-3 py-3 text-sm dark:border-zinc-800">
        <dt className="font-medium">Who</dt>
        <dd>
          <Code>{op['x-linedeck-access']}</Code>
        </dd>
        {op.parameters && op.parameters.length > 0 && (
          <>
            <dt className="font-medium">Parameters</dt>
            <dd>
              <ul className="flex flex-col gap-1">
                {op.parameters.map((p) => (
                  <li key={`${p.in}-${p.name}`}>
                    <Code>{`${p.name}${p.required ? '' : '?'}`}</Code>{' '}
                    <span className="text-zinc-600 dark:text-zinc-400">
                      ({p.in}) {schemaText(p.schema as JsonSchema)}
                    </span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {body && (
          <>
            <dt className="font-medium">Body</dt>
            <dd>
              <Code>{schemaText(body)}</Code>
            </dd>
          </>
        )}
        <dt className="font-medium">Answers</dt>
        <dd>
          <ul className="flex flex-col gap-1">
            {Object.entries(op.responses).map(([status, response]) => {
              const [type, media] = Object.entries(response.content ?? {})[0] ?? [];
              const shape = media?.schema ? schemaText(media.schema as JsonSchema) : type;
              return (
                <li key={status}>
                  <span className="font-mono">{status === 'default' ? 'error' : status}</span>{' '}
                  {shape ? <Code>{shape}</Code> : <span>{response.description}</span>}
                </li>
              );
            })}
          </ul>
        </dd>
      </dl>
    </details>
  );
}

/** Admins' reference of the REST API, read from the generated /api/openapi.json. */
export function ApiReferencePage() {
  const filterId = useId();
  const [filter, setFilter] = useState('');
  const doc = useQuery({
    queryKey: ['openapi'],
    queryFn: ({ signal }) => api<OpenApiDocument>('/api/openapi.json', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  useEffect(() => {
    document.title = 'API reference · LineDeck';
  }, []);
  const groups = useMemo(() => (doc.data ? rowsByTag(doc.data, filter) : new Map()), [doc.data, filter]);

  return (
    <article className="flex max-w-5xl flex-col gap-6" aria-labelledby="api-reference-heading">
      <header className="flex flex-col gap-2">
        <h1 id="api-reference-heading" className="font-semibold text-2xl">
          API reference
        </h1>
        <p className="text-zinc-700 dark:text-zinc-300">
          Every operation of the LineDeck REST API, generated from the same schemas the server checks requests
          with. Scripts sign in with an API token (<Code>Authorization: Bearer …</Code>). The machine-readable
          document is{' '}
          <a className="text-blue-700 underline dark:text-blue-300" href="/api/openapi.json">
            /api/openapi.json
          </a>{' '}
          (OpenAPI 3.1).
        </p>
        <label htmlFor={filterId} className="mt-2 font-medium text-sm">
          Filter
        </label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="phones, post, calls:control…"
          className="min-h-11 max-w-md rounded-lg border border-zinc-300 bg-white px-3 dark:border-zinc-700 dark:bg-zinc-900"
        />
      </header>
      {doc.isPending && <p className="text-zinc-600 dark:text-zinc-400">Loading…</p>}
      {doc.isError && (
        <p role="alert" className="text-red-800 dark:text-red-300">
          {errorText(doc.error)}
        </p>
      )}
      {doc.data && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          LineDeck {doc.data.info.version} · OpenAPI {doc.data.openapi}
        </p>
      )}
      {[...groups].map(([tag, rows]: [string, Row[]]) =>
        rows.length === 0 ? null : (
          <section key={tag} aria-label={tag} className="flex flex-col gap-2">
            <h2 className="font-semibold text-xl">{tag}</h2>
            {rows.map((row) => (
              <Operation key={`${row.method} ${row.path}`} row={row} />
            ))}
          </section>
        ),
      )}
    </article>
  );
}
