/**
 * Failpoints for crash-consistency tests, as etcd's gofail: CISTERN_FAILPOINTS="name=action;name2=action".
 * Actions: "exit" (process.exit(137) at once, no cleanup: the same as kill -9 for durability purposes),
 * "throw", "sleep(MS)", and "N*action" to fire only on the N-th hit ("3*exit").
 * A disabled failpoint costs one Map lookup.
 */

type Action = { kind: "exit" } | { kind: "throw" } | { kind: "sleep"; ms: number };
interface Armed { action: Action; onHit: number; hits: number }

const armed = new Map<string, Armed>();

function parse(spec: string | undefined): void {
  armed.clear();
  if (!spec) return;
  for (const part of spec.split(";")) {
    const [name, raw] = part.split("=").map((s) => s.trim());
    if (!name || !raw) continue;
    let text = raw;
    let onHit = 1;
    const nth = /^(\d+)\*(.*)$/.exec(text);
    if (nth) { onHit = Number(nth[1]); text = nth[2]; }
    let action: Action | undefined;
    if (text === "exit") action = { kind: "exit" };
    else if (text === "throw") action = { kind: "throw" };
    else {
      const m = /^sleep\((\d+)\)$/.exec(text);
      if (m) action = { kind: "sleep", ms: Number(m[1]) };
    }
    if (action) armed.set(name, { action, onHit, hits: 0 });
  }
}

parse(process.env.CISTERN_FAILPOINTS);

/** Re-read the configuration (tests). */
export function setFailpoints(spec: string | undefined): void {
  parse(spec);
}

export class FailpointError extends Error {
  constructor(name: string) {
    super(`failpoint ${name} triggered`);
    this.name = "FailpointError";
  }
}

function due(name: string): Armed | undefined {
  const fp = armed.get(name);
  if (!fp) return undefined;
  fp.hits++;
  // "N*action" fires on the N-th hit only; a plain action fires on every hit.
  if (fp.onHit !== 1 && fp.hits !== fp.onHit) return undefined;
  return fp;
}

function fire(name: string, action: Action): void {
  if (action.kind === "exit") process.exit(137);
  if (action.kind === "throw") throw new FailpointError(name);
}

/** Synchronous failpoint: exit or throw (sleep actions are ignored here). */
export function failpoint(name: string): void {
  const fp = due(name);
  if (fp) fire(name, fp.action);
}

/** Asynchronous failpoint: exit, throw or sleep. */
export async function failpointAsync(name: string): Promise<void> {
  const fp = due(name);
  if (!fp) return;
  if (fp.action.kind === "sleep") await new Promise((r) => setTimeout(r, (fp.action as { ms: number }).ms));
  else fire(name, fp.action);
}
