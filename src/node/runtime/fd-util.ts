import * as fs from "node:fs";

export function closeQuietlyFd(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}
