/**
 * A second "host" on this machine: a network namespace joined to the root namespace by a veth pair
 * on its own /30 (host side .1, namespace side .2). Needs root and iproute2; `remove()` deletes the
 * namespace (which removes the veth pair with it).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface NetNamespace {
  name: string;
  /** The root namespace's end of the veth. */
  hostAddress: string;
  /** The namespace's end. */
  nsAddress: string;
  remove(): Promise<void>;
}

async function ip(args: string[]): Promise<string> {
  try {
    return (await run("ip", args, { timeout: 15_000 })).stdout;
  } catch (err) {
    throw new Error(`ip ${args.join(" ")} failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`, { cause: err });
  }
}

/** A /30 in 10.213.0.0/16 whose addresses no interface uses yet. */
async function freeSubnet(): Promise<number> {
  const used = await ip(["-4", "-o", "addr", "show"]);
  for (let attempt = 0; attempt < 100; attempt++) {
    const block = 4 * Math.floor(Math.random() * 16_000);
    const base = `10.213.${Math.floor(block / 256)}.${block % 256}`;
    if (!used.includes(`${base.split(".").slice(0, 3).join(".")}.`)) return block;
  }
  throw new Error("no free 10.213.x.y/30 for a test namespace");
}

export async function createNetNamespace(): Promise<NetNamespace> {
  const id = randomBytes(3).toString("hex");
  const name = `cistern-so-${id}`;
  const hostIf = `vso${id}h`;
  const nsIf = `vso${id}n`;
  const block = await freeSubnet();
  const addr = (n: number) => `10.213.${Math.floor((block + n) / 256)}.${(block + n) % 256}`;
  const ns: NetNamespace = {
    name,
    hostAddress: addr(1),
    nsAddress: addr(2),
    async remove() {
      await ip(["netns", "delete", name]).catch(() => undefined);
      await ip(["link", "delete", hostIf]).catch(() => undefined);
    },
  };
  try {
    await ip(["netns", "add", name]);
    await ip(["link", "add", hostIf, "type", "veth", "peer", "name", nsIf]);
    await ip(["link", "set", nsIf, "netns", name]);
    await ip(["addr", "add", `${ns.hostAddress}/30`, "dev", hostIf]);
    await ip(["link", "set", hostIf, "up"]);
    await ip(["-n", name, "addr", "add", `${ns.nsAddress}/30`, "dev", nsIf]);
    await ip(["-n", name, "link", "set", nsIf, "up"]);
    await ip(["-n", name, "link", "set", "lo", "up"]);
  } catch (err) {
    await ns.remove();
    throw err;
  }
  return ns;
}
