/**
 * Screen pop: a per-user address opened when a call rings or is answered, e.g.
 * `https://crm.example/search?phone={number}&name={name}`. Values are URL-encoded into the template;
 * only http(s) addresses and the placeholders below are accepted, so a template cannot run script
 * (`javascript:`) or carry a typo that would open a broken page on every call.
 * No zod here: the web app takes these values without bringing zod into its bundle.
 */
export const SCREEN_POP_PLACEHOLDERS = ['number', 'name', 'company', 'phone'] as const;
export type ScreenPopPlaceholder = (typeof SCREEN_POP_PLACEHOLDERS)[number];
export type ScreenPopValues = Partial<Record<ScreenPopPlaceholder, string | null | undefined>>;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Why a template cannot be used, or undefined when it can. */
export function screenPopProblem(template: string): string | undefined {
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map((m) => m[1] ?? '')
    .filter((name) => !(SCREEN_POP_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return `Unknown placeholder {${unknown[0]}}: use ${SCREEN_POP_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`;
  }
  // Checked on a sample expansion: the placeholders stand in the host or path, not only the query.
  let url: URL;
  try {
    url = new URL(expand(template, { number: '1', name: 'x', company: 'x', phone: 'x' }));
  } catch {
    return 'This is not a web address (it starts with https:// or http://).';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'Only http:// and https:// addresses open.';
  if (!/^https?:\/\//i.test(template)) return 'Only http:// and https:// addresses open.';
  return undefined;
}

function expand(template: string, values: ScreenPopValues): string {
  return template.replace(PLACEHOLDER, (_m, name: ScreenPopPlaceholder) =>
    encodeURIComponent(values[name] ?? ''),
  );
}

/** The address to open for a call; throws on a template `screenPopProblem` refuses. */
export function expandScreenPop(template: string, values: ScreenPopValues): string {
  const problem = screenPopProblem(template);
  if (problem) throw new Error(problem);
  return expand(template, values);
}
