/** errno numbers from the helper as the names Node uses ("ENOENT"); Linux numbering, from os.constants. */
import { constants } from "node:os";

const byNumber = new Map<number, string>();
for (const [name, n] of Object.entries(constants.errno as Record<string, number>)) if (!byNumber.has(n)) byNumber.set(n, name);

export function errnoName(n: number): string {
  return byNumber.get(n) ?? `errno ${n}`;
}
