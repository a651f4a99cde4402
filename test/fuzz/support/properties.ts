/**
 * The properties every API fuzz target checks on each input: a clean answer (2xx, or a 4xx Status;
 * never a 5xx, never a hang), a refused request leaves the store revision where it was, and nothing
 * reached Object.prototype (the server runs in this process, so pollution would show here).
 * A failure listed in known-bugs.ts is tallied under its id instead.
 */
import { expect } from "vitest";
import type { ApiTarget, RawReply } from "./api-target.js";
import { knownBug } from "./known-bugs.js";
import type { Tally } from "./runs.js";

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(",");

export function expectNoPrototypePollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort().join(",")).toBe(PROTO_KEYS);
  const probe = {} as Record<string, unknown>;
  for (const k of ["polluted", "admin", "x", "a", "isAdmin"]) expect(probe[k], `Object.prototype.${k}`).toBeUndefined();
}

/** Sends one hostile request and checks the three properties; returns the reply for target-specific checks. */
export async function probeKube(api: ApiTarget, tally: Tally, input: () => string, send: () => Promise<RawReply>): Promise<RawReply> {
  const before = await api.revision();
  const r = await send();
  const known = r.status >= 500 ? knownBug(r, input()) : undefined;
  if (known) {
    tally.count(`known:${known.id}`);
    return r;
  }
  tally.count(r.status);
  expectCleanKubeReply(r, input);
  if (r.status >= 400) expect(await api.revision(), `a refused request (${r.status}) changed the store\n  for input ${input().slice(0, 600)}`).toBe(before);
  expectNoPrototypePollution();
  return r;
}

/**
 * The property every API answer must have: a 2xx with a JSON body, or a 4xx that is a Kubernetes
 * Status with the same code, a reason and a message. Never a 5xx — except upstream's 504 "Too large
 * resource version" for a read ahead of the store.
 */
export function expectCleanKubeReply(r: RawReply, input: () => string): void {
  const what = () => `${r.status} ${r.text.slice(0, 400)}\n  for input ${input().slice(0, 600)}`;
  if (r.oversizeHead && r.status === 431 && r.text === "") return;
  // Upstream's answer to a read at a resourceVersion the store has not reached: 504 Timeout, "Too large
  // resource version", with Retry-After. A 5xx by design (the client may retry), kept as upstream has it.
  if (r.status === 504 && r.json?.reason === "Timeout" && /^Too large resource version/.test(r.json?.message ?? "")) return;
  expect(r.status, what()).toBeGreaterThanOrEqual(200);
  expect(r.status, what()).toBeLessThan(500);
  if (r.status >= 400) {
    expect(r.json?.kind, what()).toBe("Status");
    expect(r.json?.code, what()).toBe(r.status);
    expect(r.json?.status, what()).toBe("Failure");
    expect(typeof r.json?.reason, what()).toBe("string");
    expect(typeof r.json?.message, what()).toBe("string");
  } else if (r.status !== 204 && r.json === undefined) {
    // A watch: one JSON document per line.
    const lines = r.text.split("\n").filter((l) => l.trim() !== "");
    for (const l of lines) expect(() => JSON.parse(l), what()).not.toThrow();
  }
}
