/**
 * The login session: a bearer token typed in by the user, kept in sessionStorage (gone when the
 * tab closes, never sent anywhere but this origin), and the authorised fetch every call goes
 * through. A 401 from anywhere ends the session.
 */

const KEY = "cistern.dashboard.token";

export function loadToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

export class UnauthorizedError extends Error {
  constructor() {
    super("the token was not accepted");
  }
}

/** An error answer from the server, with its Status message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function authorizedFetch(token: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  if (!headers.has("Accept")) headers.set("Accept", "application/json");
  const res = await fetch(path, { ...init, headers, credentials: "omit", cache: "no-store" });
  if (res.status === 401) throw new UnauthorizedError();
  return res;
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { message?: unknown };
    if (typeof body.message === "string") message = body.message;
  } catch {
    // not a Status: keep the status line
  }
  return new ApiError(res.status, message);
}

export async function getJson<T>(token: string, path: string, signal?: AbortSignal): Promise<T> {
  const res = await authorizedFetch(token, path, { signal });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

export async function deleteObject(token: string, path: string): Promise<void> {
  const res = await authorizedFetch(token, path, { method: "DELETE" });
  if (!res.ok) throw await errorOf(res);
}
