/**
 * Shared by the console and its API reference page (same origin, same storage).
 *
 * The token lives in sessionStorage, not localStorage: it is gone when the tab
 * closes, other tabs and later visits never see it, and a token left behind on
 * a shared machine does not outlive the session. (Script on this origin could
 * read either; the console's Content-Security-Policy allows only its own.)
 * A new tab asks for the token again.
 */
const TOKEN_KEY = 'sqljobber.token';

/** The bearer token for JWT auth, kept in this tab only; none with auth "none". */
export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set(value: string) {
    if (value.trim()) sessionStorage.setItem(TOKEN_KEY, value.trim());
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};
