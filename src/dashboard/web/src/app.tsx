/** The page: a login form until a token is accepted, then the dashboard. */
import { useCallback, useState } from "react";
import { clearToken, loadToken, saveToken } from "./api/session.js";
import { LoginForm } from "./components/login-form.js";
import { Dashboard } from "./components/dashboard.js";

export function App() {
  const [session, setSession] = useState<{ token: string; notice?: string } | null>(() => {
    const token = loadToken();
    return token ? { token } : null;
  });
  const [notice, setNotice] = useState<string | undefined>();

  const login = useCallback((token: string) => {
    saveToken(token);
    setNotice(undefined);
    setSession({ token });
  }, []);
  const logout = useCallback((why?: string) => {
    clearToken();
    setNotice(why);
    setSession(null);
  }, []);
  const expired = useCallback(() => logout("The server no longer accepts this token. Sign in again."), [logout]);

  if (!session) return <LoginForm onLogin={login} notice={notice} />;
  return <Dashboard token={session.token} onLogout={() => logout()} onUnauthorized={expired} />;
}
