/**
 * The dashboard's acceptance test: Debian's Chromium, headless, driven by playwright-core, against
 * a real `cistern up` with the guide applied by real kubectl. It signs in with the admin token,
 * sees the chain fs-12345678 ← efs-pv ← efs-pvc ← app-pod, works the graph from the keyboard,
 * deletes the PVC through the API and sees the PV turn Released within 2 s (the issue's
 * contract), and saves test-artifacts/dashboard.png for CI.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { REPO, startCistern, type RunningCistern } from "./support/cistern-up.js";

const ARTIFACTS = join(REPO, "test-artifacts");
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const node = (id: string) => `[data-node-id="${id}"]`;
const POD = "pod:default/app-pod";
const PVC = "pvc:default/efs-pvc";
const PV = "pv:efs-pv";
const FS = "fs:fs-12345678";

let cistern: RunningCistern;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const offOrigin: string[] = [];

/** The data-node-id of the element that has keyboard focus. */
const focusedNode = () => page.locator(":focus").getAttribute("data-node-id");

async function podObject(): Promise<{ spec?: { nodeName?: string } } | undefined> {
  const r = await cistern.request("GET", "/api/v1/namespaces/default/pods/app-pod");
  return r.status === 200 ? JSON.parse(r.body) : undefined;
}

beforeAll(async () => {
  cistern = await startCistern();
  const probe = await cistern.request("GET", "/ui/");
  if (probe.status !== 200) {
    throw new Error(`cistern up does not serve the dashboard at /ui/ (HTTP ${probe.status}); mount createDashboardHandler from src/dashboard in src/cli/cluster.ts\n${cistern.output()}`);
  }
  const applied = await cistern.kubectl(["apply", "-f", join(REPO, "examples", "guide")]);
  expect(applied.code, applied.stderr).toBe(0);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1600, height: 1100 } });
  page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    // CSP violations and script errors show up here. Failed API answers are part of a live page
    // (the wrong-token check's 401, a node without an agent) and are checked where they matter.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
  });
  page.on("requestfailed", (r) => {
    if (r.resourceType() !== "fetch") pageErrors.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  const origin = new URL(cistern.url).origin;
  page.on("request", (r) => {
    if (!r.url().startsWith(origin)) offOrigin.push(r.url());
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await cistern?.stop();
});

describe("dashboard in headless Chromium against cistern up", () => {
  it("asks for a token, refuses a wrong one and accepts the admin token", async () => {
    await page.goto(`${cistern.url}/ui`);
    expect(new URL(page.url()).pathname).toBe("/ui/");
    const field = page.getByLabel("Bearer token");
    await field.fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("did not accept");
    await field.fill(cistern.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Storage topology" }).waitFor();
  });

  it("draws the guide's chain fs-12345678 ← efs-pv ← efs-pvc ← app-pod, bound, with its edges", async () => {
    await page.waitForSelector(`${node(PVC)}[data-phase="Bound"]`, { timeout: 60_000 });
    await page.waitForSelector(`${node(PV)}[data-phase="Bound"]`);
    await page.waitForSelector(node(POD));
    await page.waitForSelector(`${node(FS)}[data-phase="Available"]`);
    for (const edge of [`${POD}->${PVC}`, `${PVC}->${PV}`, `${PV}->${FS}`]) {
      await page.waitForSelector(`[data-edge="${edge}"]`, { state: "attached" });
    }
    // Columns run left to right: storage, volume, claim, pod.
    const x = async (id: string) => (await page.locator(node(id)).boundingBox())!.x;
    expect(await x(FS)).toBeLessThan(await x(PV));
    expect(await x(PV)).toBeLessThan(await x(PVC));
    expect(await x(PVC)).toBeLessThan(await x(POD));
    // Phase is text as well as colour, and the label says what a node is connected to.
    await expect.poll(() => page.locator(node(PVC)).textContent()).toContain("Bound");
    expect(await page.locator(node(PVC)).getAttribute("aria-label")).toMatch(/bound to PersistentVolume efs-pv.*mounted by Pod default\/app-pod/);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });
  });

  it("moves along the chain with the arrow keys and opens YAML, events and the explain answer with Enter", async () => {
    await page.locator(node(POD)).focus();
    await page.keyboard.press("ArrowLeft");
    expect(await focusedNode()).toBe(PVC);
    await page.keyboard.press("ArrowLeft");
    expect(await focusedNode()).toBe(PV);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    const details = page.getByTestId("details");
    await details.getByRole("heading", { name: /efs-pvc/ }).waitFor();
    await expect.poll(() => details.getByTestId("yaml").textContent()).toContain("name: efs-pvc");
    expect(await details.getByTestId("yaml").textContent()).not.toContain("managedFields");
    await expect.poll(() => details.getByTestId("explain").textContent(), { timeout: 15_000 }).toContain("PersistentVolumeClaim default/efs-pvc");
    expect(await details.getByTestId("explain").textContent()).toContain("Why:");
    await details.getByRole("heading", { name: "Events" }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-details.png") });
    await page.keyboard.press("Escape");
    await details.waitFor({ state: "detached" });
    expect(await focusedNode()).toBe(PVC);
  });

  it("shows EFS usage for fs-12345678 and the volumes by usage with their reclaim policy", async () => {
    const usage = page.getByTestId("usage-fs-12345678");
    await usage.waitFor();
    expect(await usage.textContent()).toMatch(/Metered size/);
    expect(await usage.locator("canvas").count()).toBeGreaterThanOrEqual(2);
    const row = page.locator('[data-testid="volumes-table"] tr[data-volume="efs-pv"]');
    await expect.poll(() => row.textContent()).toContain("Retain");
    expect(await row.textContent()).toContain("default/efs-pvc");
  });

  it("turns the PV Released within 2 s of the PVC being deleted through the API", async () => {
    // pvc-protection keeps a claim while a scheduled pod uses it: release the claim as a user would.
    if ((await podObject())?.spec?.nodeName) {
      const del = await cistern.request("DELETE", "/api/v1/namespaces/default/pods/app-pod", { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0 });
      expect([200, 202]).toContain(del.status);
      while (await podObject()) await new Promise((r) => setTimeout(r, 200));
    }
    const started = Date.now();
    const del = await cistern.request("DELETE", "/api/v1/namespaces/default/persistentvolumeclaims/efs-pvc");
    expect(del.status, del.body).toBe(200);
    await page.waitForSelector(`${node(PV)}[data-phase="Released"]`, { timeout: 2_000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2_000);
    process.stdout.write(`dashboard: PV shown Released ${elapsed} ms after the PVC delete\n`);
    expect(await page.locator(node(PV)).textContent()).toContain("Released");
    expect(await page.locator(`[data-edge="${PVC}->${PV}"]`).count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-released.png"), fullPage: true });
  });

  it("streams events live and filters them by object", async () => {
    const post = (name: string, kind: string, objectName: string, reason: string) =>
      cistern.request("POST", "/api/v1/namespaces/default/events", {
        apiVersion: "v1", kind: "Event", metadata: { name, namespace: "default" },
        involvedObject: { kind, namespace: "default", name: objectName, apiVersion: "v1" },
        reason, message: `${reason} message`, type: "Normal", count: 1,
        firstTimestamp: new Date().toISOString(), lastTimestamp: new Date().toISOString(), source: { component: "dashboard-test" },
      });
    expect((await post("efs-pvc.dashboard-test", "PersistentVolumeClaim", "efs-pvc", "ClaimChecked")).status).toBe(201);
    expect((await post("app-pod.dashboard-test", "Pod", "app-pod", "PodChecked")).status).toBe(201);
    const stream = page.locator('section[aria-labelledby="events-title"]');
    await expect.poll(() => stream.textContent()).toContain("PodChecked");
    await page.getByTestId("event-object-filter").selectOption({ label: "PersistentVolumeClaim default/efs-pvc" });
    await expect.poll(() => stream.textContent()).not.toContain("PodChecked");
    expect(await stream.textContent()).toContain("ClaimChecked");
    expect(new Set(await stream.locator(".event-object").allTextContents())).toEqual(new Set(["PersistentVolumeClaim/default/efs-pvc"]));
    await stream.getByRole("searchbox").fill("nothing matches this");
    await expect.poll(() => stream.textContent()).toContain("No events match.");
  });

  it("gives every control an accessible name and keeps focus visible", async () => {
    const unnamed = await page.locator("button, select, input, a[href]").evaluateAll((els) =>
      els
        .filter((e) => {
          const labels = (e as unknown as { labels?: ArrayLike<{ textContent: string | null }> | null }).labels;
          const name = e.getAttribute("aria-label") || (labels && labels.length ? labels[0].textContent : "") || e.textContent;
          return !name || !name.trim();
        })
        .map((e) => e.outerHTML.slice(0, 160)));
    expect(unnamed).toEqual([]);
    await page.locator(node(PV)).focus();
    const outline = await page.locator(node(PV)).evaluate((e) => {
      const style = (globalThis as unknown as { getComputedStyle(el: unknown): { outlineStyle: string; outlineWidth: string } }).getComputedStyle(e);
      return `${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(outline).toBe("solid 3px");
  });

  it("loaded nothing from any other origin and logged no errors", () => {
    expect(offOrigin).toEqual([]);
    expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  });
});
