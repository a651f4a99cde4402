/** Title, live status of the watches and of EFS sampling, and sign-out. */
import type { ConnectionState } from "../api/use-cluster-state.js";

export function TopBar({ connection, efsProblem, onLogout }: { connection: ConnectionState; efsProblem?: string; onLogout: () => void }) {
  const states = Object.values(connection);
  const retrying = Object.entries(connection).filter(([, c]) => c?.status === "retrying");
  const live = states.length > 0 && states.every((c) => c?.status === "live");
  const status = retrying.length
    ? `Reconnecting to ${retrying.map(([r]) => r).join(", ")}…`
    : live ? "Live: updates as the cluster changes" : "Connecting…";
  return (
    <header className="top-bar">
      <h1>Cistern</h1>
      <nav aria-label="Sections">
        <a href="#topology-title">Topology</a>
        <a href="#usage-title">Usage</a>
        <a href="#volumes-title">Volumes</a>
        <a href="#events-title">Events</a>
      </nav>
      <p className={`connection ${live ? "live" : retrying.length ? "retrying" : ""}`} role="status" data-testid="connection">
        {status}
        {efsProblem && <span className="efs-problem"> · EFS: {efsProblem}</span>}
      </p>
      <button type="button" className="secondary" onClick={onLogout}>Sign out</button>
    </header>
  );
}
