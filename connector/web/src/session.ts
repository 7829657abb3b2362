/** The admin token lives in sessionStorage: it stays for this tab until sign-out or the tab closes. */
const KEY = 'connector.adminToken';

export function savedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: the session lasts until the page is reloaded
  }
}
