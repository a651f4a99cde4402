/**
 * How the demo talks to a person: each step's title, the kubectl command a user would type and
 * its real output, then a summary table. On a terminal a progress line shows long waits; when
 * not a TTY every line is plain and complete (CI logs).
 */
export interface StepResult {
  title: string;
  check: string;
  ok: boolean;
  detail?: string;
  ms: number;
}

const tty = process.stdout.isTTY === true && !process.env.NO_COLOR;
const green = (s: string) => (tty ? `\x1b[32m${s}\x1b[0m` : s);
const red = (s: string) => (tty ? `\x1b[31m${s}\x1b[0m` : s);
const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);

export function heading(n: number, title: string): void {
  process.stdout.write(`\n${bold(`${n}. ${title}`)}\n`);
}

export function command(argv: string[]): void {
  process.stdout.write(`$ ${argv.map((a) => (/[\s'"{}$*]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(" ")}\n`);
}

export function output(text: string): void {
  const t = text.replace(/\s+$/, "");
  if (t) process.stdout.write(t.split("\n").map((l) => `  ${l}`).join("\n") + "\n");
}

export function note(text: string): void {
  process.stdout.write(dim(`  ${text}`) + "\n");
}

export function verdict(r: StepResult): void {
  process.stdout.write(`  ${r.ok ? green("✔") : red("✘")} ${r.check}${r.detail ? ` — ${r.detail}` : ""}\n`);
}

/** A waiting indicator: a rewritten line on a terminal, one plain line otherwise. */
export function progress(label: string): { update(text: string): void; done(): void } {
  if (!tty) {
    process.stdout.write(`  … ${label}\n`);
    return { update() {}, done() {} };
  }
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let i = 0;
  let text = label;
  const draw = () => process.stdout.write(`\r\x1b[2K  ${frames[i++ % frames.length]} ${text}`);
  const timer = setInterval(draw, 100);
  draw();
  return {
    update(t) {
      text = `${label} (${t})`;
    },
    done() {
      clearInterval(timer);
      process.stdout.write("\r\x1b[2K");
    },
  };
}

export function summary(results: StepResult[]): void {
  const w = Math.max(...results.map((r) => r.check.length), 10);
  process.stdout.write(`\n${bold("Summary")}\n`);
  process.stdout.write(`  ${"CHECK".padEnd(w)}  RESULT  TIME\n`);
  for (const r of results) {
    process.stdout.write(`  ${r.check.padEnd(w)}  ${r.ok ? green("ok    ") : red("FAILED")}  ${(r.ms / 1000).toFixed(1)}s\n`);
  }
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(failed ? red(`\n${failed} of ${results.length} checks failed.\n`) : green(`\nAll ${results.length} checks passed.\n`));
}
