import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeClusterEnv } from "./cluster-env.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The `export K='v'` lines back as a map, undoing the single-quote escaping. */
function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^export ([A-Z_]+)='(.*)'$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/'\\''/g, "'");
  }
  return out;
}

describe("DATA_DIR/env", () => {
  it("exports the region under both names, with everything else a client needs, readable only by its owner", () => {
    dir = mkdtempSync(join(tmpdir(), "cistern-env-"));
    const path = join(dir, "env");
    writeClusterEnv(path, {
      kubeconfigPath: "/data/kubeconfig",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "se'cret" },
      region: "eu-west-1",
      efsUrl: "https://127.0.0.1:8443",
      caPath: "/data/pki/ca.crt",
    });
    expect(parseEnv(readFileSync(path, "utf8"))).toEqual({
      KUBECONFIG: "/data/kubeconfig",
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "se'cret",
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
      AWS_ENDPOINT_URL_EFS: "https://127.0.0.1:8443",
      AWS_CA_BUNDLE: "/data/pki/ca.crt",
      NODE_EXTRA_CA_CERTS: "/data/pki/ca.crt",
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
