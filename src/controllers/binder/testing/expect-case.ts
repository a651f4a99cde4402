/** vitest assertions for a SyncCase: stored objects, events (prefix match, in order), error. */
import { expect } from "vitest";
import { eventStrings, normalize, runMultiSyncCase, runSyncCase, type SyncCase } from "./binder-harness.js";
import type { FakeBinderApi } from "./fake-binder-api.js";

function checkState(c: SyncCase, api: FakeBinderApi): void {
  expect(normalize(api.volumes()), "volumes").toEqual(normalize(c.expectedVolumes));
  expect(normalize(api.claims()), "claims").toEqual(normalize(c.expectedClaims));
  const got = eventStrings(api);
  // Upstream reads as many events as the case lists, each a prefix of what was emitted.
  expect(got.length, `events ${JSON.stringify(got)}`).toBeGreaterThanOrEqual(c.expectedEvents.length);
  c.expectedEvents.forEach((want, i) => expect(got[i].startsWith(want), `event ${i}: ${got[i]} should start with ${want}`).toBe(true));
}

export async function expectSyncCase(c: SyncCase): Promise<FakeBinderApi> {
  const { api, decision } = await runSyncCase(c);
  if (c.expectError) expect(decision.error, "sync should fail").toBeTruthy();
  else expect(decision.error, "sync should succeed").toBeUndefined();
  checkState(c, api);
  return api;
}

export async function expectMultiSyncCase(c: SyncCase): Promise<FakeBinderApi> {
  const { api } = await runMultiSyncCase(c);
  checkState(c, api);
  return api;
}
