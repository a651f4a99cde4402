/** Sign-in: a bearer token, checked against /ui/api/whoami before it is kept. */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { getJson, UnauthorizedError } from "../api/session.js";

export function LoginForm({ onLogin, notice }: { onLogin: (token: string) => void; notice?: string }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const t = token.trim();
    if (!t) return setError("Enter a token.");
    setBusy(true);
    setError(undefined);
    try {
      await getJson<{ user: string }>(t, "/ui/api/whoami");
      onLogin(t);
    } catch (err) {
      setError(err instanceof UnauthorizedError ? "The API server did not accept this token." : `Could not reach the API server: ${(err as Error).message}`);
      setBusy(false);
    }
  }

  return (
    <main className="login" id="main">
      <h1>Cistern dashboard</h1>
      <p>EFS ← PersistentVolume ← PersistentVolumeClaim ← Pod, live.</p>
      {notice && <p className="notice" role="status">{notice}</p>}
      <form onSubmit={(e) => void submit(e)} aria-describedby="token-help">
        <label htmlFor="token">Bearer token</label>
        <input id="token" ref={input} type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? "token-error" : undefined} />
        <p id="token-help" className="hint">
          The admin token is in <code>DATA_DIR/pki/admin.token</code> (print it with <code>cat ~/.cistern/pki/admin.token</code>). It is kept in this tab only.
        </p>
        {error && <p id="token-error" className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? "Checking…" : "Sign in"}</button>
      </form>
    </main>
  );
}
