/**
 * Repository guard: no code under src/ may start a shell. Child processes are execFile/spawn with an argument vector
 * (see the reference on CVE-2023-3676 and friends: a path reaching a command line is an injection). This scans every
 * src/**\/*.ts and fails naming the file and line; the first test proves each rule can fire.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SHELLS = "(?:/usr)?(?:/bin/)?(?:sh|bash|dash|zsh|ksh|ash|csh|tcsh|fish)";

interface Rule {
  name: string;
  test(line: string, file: string): boolean;
}

const rules: Rule[] = [
  { name: "execSync always runs a shell", test: (l) => /\bexecSync\s*\(/.test(l) },
  { name: "shell: true", test: (l) => /\bshell\s*:\s*(true|["'`])/.test(l) },
  {
    name: "a shell as the program",
    test: (l) => new RegExp(`\\b(?:spawn|spawnSync|execFile|execFileSync|fork)\\s*\\(\\s*["'\`]${SHELLS}["'\`]`).test(l),
  },
  { name: "child_process.exec", test: (l) => /\bchild_process\s*\.\s*exec\s*\(/.test(l) || /require\(\s*["'](?:node:)?child_process["']\s*\)\s*\.\s*exec\s*\(/.test(l) },
  {
    name: "exec imported from child_process",
    test: (_l, file) => /import\s*\{[^}]*\bexec\b(?!\w)[^}]*\}\s*from\s*["'](?:node:)?child_process["']/.test(file),
  },
  {
    name: "exec through a child_process namespace import",
    test: (l, file) => {
      const ns = /import\s+\*\s+as\s+(\w+)\s+from\s*["'](?:node:)?child_process["']/.exec(file);
      return !!ns && new RegExp(`\\b${ns[1]}\\s*\\.\\s*exec\\s*\\(`).test(l);
    },
  },
];

/** Findings as "file:line: rule". Comment lines are skipped. */
function scan(text: string, label: string): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  const fileLevel = new Set<string>();
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith("//") || t.startsWith("*") || t.startsWith("/*")) return;
    for (const r of rules) {
      if (!r.test(line, text)) continue;
      if (r.name === "exec imported from child_process") {
        if (!/child_process/.test(line) || fileLevel.has(r.name)) continue;
        fileLevel.add(r.name);
      }
      out.push(`${label}:${i + 1}: ${r.name}: ${t}`);
    }
  });
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== "node_modules" && e.name !== "dist") out.push(...sourceFiles(p));
    else if (e.isFile() && e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

const here = fileURLToPath(import.meta.url);
const srcDir = path.resolve(path.dirname(here), "..");

describe("no shell", () => {
  it.each([
    [`execSync("ls " + dir)`],
    [`spawn("ls", [dir], { shell: true })`],
    [`spawn("sh", ["-c", cmd])`],
    [`execFile("/bin/bash", ["-c", cmd])`],
    [`spawnSync('/usr/bin/sh', ['-c', x])`],
    [`child_process.exec(cmd)`],
    [`require("node:child_process").exec(cmd)`],
    [`import { execFile, exec } from "node:child_process";`],
    [`import * as cp from "child_process";\ncp.exec(cmd)`],
  ])("the scanner catches %j", (sample) => {
    expect(scan(sample, "sample").length).toBeGreaterThan(0);
  });

  it.each([
    [`execFile("mount", ["--bind", a, b])`],
    [`spawn(runc, ["exec", id, "sh", "-c", "echo hi"])`],
    [`runtime.exec(id, { argv: ["sh"] })`],
    [`import { execFile } from "node:child_process";`],
    [`// never call execSync(`],
  ])("the scanner accepts %j", (sample) => {
    expect(scan(sample, "sample")).toEqual([]);
  });

  it("no file under src/ starts a shell", () => {
    const files = sourceFiles(srcDir).filter((f) => f !== here);
    expect(files.length).toBeGreaterThan(5);
    const findings = files.flatMap((f) => scan(fs.readFileSync(f, "utf8"), path.relative(srcDir, f)));
    expect(findings).toEqual([]);
  });
});
