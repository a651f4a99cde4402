/** Small parsers shared by the command definitions. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parsePort(flag: string, v: string): number {
  const port = Number(v);
  if (!/^\d+$/.test(v) || port > 65535) throw new Error(`${flag}: not a port: ${v}`);
  return port;
}

export function parseCount(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 64) throw new Error(`${flag}: expected a number from 1 to 64, got ${v}`);
  return n;
}

/** A Go-style duration as kube's flags take them ("15s", "1500ms", "1m30s"), in milliseconds. */
export function parseDuration(flag: string, v: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(v) ? v.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g) : null;
  if (!parts) throw new Error(`${flag}: not a duration (e.g. 15s, 1500ms, 1m): ${v}`);
  return parts.reduce((sum, p) => {
    const [, n, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(p)!;
    return sum + Number(n) * units[unit];
  }, 0);
}
