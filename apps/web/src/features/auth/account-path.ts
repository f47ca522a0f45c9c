/** The signed-in user's own page: sessions, second factor (account-page.tsx, loaded on first visit). */
export const ACCOUNT_PATH = '/account';
