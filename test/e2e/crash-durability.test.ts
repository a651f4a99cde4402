/**
 * kill -9 of the server during a stream of writes loses no acknowledged write: every create
 * answered 2xx before the kill is present after a restart on the same data dir.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startCistern, type CisternProcess } from "./support/cistern-process.js";
import { rawClient } from "./support/api-client.js";

let c: CisternProcess | undefined;
afterAll(async () => {
  await c?.stop();
  c?.cleanup();
});

describe("durability across kill -9", () => {
  it("keeps every acknowledged create", async () => {
    const first = await startCistern();
    c = first;
    const api = rawClient(first.dataDir, first.url);
    const acked: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const name = `w${w}-${i}`;
        try {
          const r = await api.request("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { i: String(i) } });
          if (r.status === 201) acked.push(name);
        } catch {
          return; // connection cut by the kill
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1000));
    await first.kill9();
    stop = true;
    await Promise.all(writers);
    api.close();
    expect(acked.length).toBeGreaterThan(50);

    const second = await startCistern({ dataDir: first.dataDir, home: first.home });
    c = second;
    const api2 = rawClient(second.dataDir, second.url);
    const r = await api2.request("GET", "/api/v1/namespaces/default/configmaps");
    const names = new Set((JSON.parse(r.body).items as { metadata: { name: string } }[]).map((i) => i.metadata.name));
    const lost = acked.filter((n) => !names.has(n));
    api2.close();
    expect(lost).toEqual([]);
  });
});
