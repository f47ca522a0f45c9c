/** The campaigns pages' addresses, the one place they are written (no imports: the shell links here). */
export const CAMPAIGNS_PATH = '/campaigns';

/** `/campaigns`, or one campaign's page. */
export function campaignPath(id?: string): string {
  return id ? `${CAMPAIGNS_PATH}/${encodeURIComponent(id)}` : CAMPAIGNS_PATH;
}
