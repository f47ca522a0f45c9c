/**
 * The app's single QueryClient. Reads are retried once (never commands: a retry
 * can dial twice, architecture "Error model"); a 401 anywhere means the session
 * ended, so the session query is cleared and the sign-in screen shows.
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api-client.ts';

export const SESSION_KEY = ['session'] as const;

/**
 * Forgets the signed-in user and everything read as them. The session query is
 * set (not removed) so the mounted gate sees it and shows the sign-in screen;
 * `clear()` would leave mounted observers on removed queries, showing nothing.
 */
export function endSession(): void {
  queryClient.setQueryData(SESSION_KEY, null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
}

function onUnauthenticated(error: unknown): void {
  if (isApiError(error) && error.code === 'unauthenticated' && queryClient.getQueryData(SESSION_KEY)) {
    endSession();
  }
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onUnauthenticated }),
  mutationCache: new MutationCache({
    // Sign-in and password changes answer 401 for a wrong password: that is not a lost session.
    onError: (error, _variables, _context, mutation) => {
      if (!mutation.meta?.authAttempt) onUnauthenticated(error);
    },
  }),
  defaultOptions: {
    queries: {
      retry: (failures, error) =>
        failures < 1 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      retryDelay: 500,
      // Live data comes from polling and SSE; a refocus refetch only adds load.
      refetchOnWindowFocus: false,
      staleTime: 500,
    },
    mutations: { retry: false },
  },
});
