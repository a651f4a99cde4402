/**
 * The service's one set of static credentials. Given explicitly they are used as-is and never written;
 * otherwise they are read from `<dataDir>/credentials.json` (mode 0600), or generated on first start and
 * written there atomically (temp file, fsync, rename, fsync of the directory) so clients configured
 * from that file keep working across restarts.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, constants } from "node:fs";
import { join } from "node:path";
import { fsyncDir } from "../disk/layout.js";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const CREDENTIALS_FILE = "credentials.json";
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function generate(): Credentials {
  const bytes = randomBytes(16);
  const id = "AKIA" + Array.from(bytes, (b) => KEY_ALPHABET[b % 32]).join("");
  const secret = randomBytes(30).toString("base64");
  return { accessKeyId: id, secretAccessKey: secret };
}

function valid(c: unknown): c is Credentials {
  const v = c as Credentials;
  return typeof v?.accessKeyId === "string" && ACCESS_KEY_ID.test(v.accessKeyId) && typeof v.secretAccessKey === "string" && v.secretAccessKey.length >= 16;
}

function writeAtomically(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  fsyncDir(dir);
}

/** Returns the credentials to verify requests with, creating and persisting them when none exist. */
export function loadOrCreateCredentials(dataDir: string, given?: Credentials): Credentials {
  if (given) {
    if (!valid(given)) throw new Error("credentials: accessKeyId must be 16+ upper-case letters/digits and secretAccessKey 16+ characters");
    return { accessKeyId: given.accessKeyId, secretAccessKey: given.secretAccessKey };
  }
  const file = join(dataDir, CREDENTIALS_FILE);
  let text: string | undefined;
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      text = readFileSync(fd, "utf8");
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (text !== undefined) {
    const parsed: unknown = JSON.parse(text);
    if (!valid(parsed)) throw new Error(`${file}: not a valid credentials file`);
    return { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
  }
  const created = generate();
  writeAtomically(dataDir, CREDENTIALS_FILE, JSON.stringify(created, null, 2) + "\n");
  return created;
}
