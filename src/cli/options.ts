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
