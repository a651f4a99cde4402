/**
 * Hostile values for every fuzz target: strings with NUL and control bytes, traversal, encodings
 * and injection punctuation; keys that reach JavaScript prototypes; numbers outside every range;
 * very long values; deep nesting; and mutations that plant them anywhere in a valid document.
 */
import fc from "fast-check";

const NASTY = [
  "", " ", "\u0000", "a\u0000b", "\n", "\r\n", "\t", "\u007f", "\u202e", "\ufeff", "\ud800", "💥", "ǅ", "İ",
  ".", "..", "../..", "/", "//", "/etc/passwd", "a/../../b", "..\\..", "%2e%2e", "%2F", "%00", "~", "-rf", "--", "-o",
  "$(id)", "`id`", ";id", "|id", "&&", "${HOME}", "${.PVC.name}", "${", "}", "{{x}}", "*", "?", "[", "]", "#",
  ",", "ro,remount", "tls,awscredsuri=http://x", "=", "a=b=c", "'", '"', "\\", "<script>", "null", "true", "0", "-1",
  "__proto__", "constructor", "prototype", "toString", "hasOwnProperty",
  "fs-12345678", "fs-12345678::fsap-0123456789abcdef0", "fsap-0123456789abcdef0", "efs:fs-12345678:/a:fsap-0",
  "1Gi", "1e400", "9".repeat(40), "0x10", "NaN", "Infinity", "-0", "1.5Mi", "1 Gi", "Ki",
  "default", "kube-system", "a.b", "A", "a_b", "a-", "-a",
];

const controlChar = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));

/** A short piece of hostile text. */
export const hostilePiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  { weight: 1, arbitrary: controlChar },
);

/** Hostile text: pieces glued together, sometimes repeated to a great length. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(hostilePiece, { minLength: 1, maxLength: 4 }).map((p) => p.join("")) },
  { weight: 1, arbitrary: fc.tuple(hostilePiece, fc.integer({ min: 50, max: 600 })).map(([p, n]) => (p || "a").repeat(n).slice(0, 70_000)) },
  { weight: 1, arbitrary: fc.constantFrom("a".repeat(254), "a".repeat(64), "a".repeat(63), "a".repeat(253), "x".repeat(70_000)) },
);

/** Keys that reach prototypes or break field paths. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "", "a.b", "a/b", "$patch", "$retainKeys", "\u0000", "metadata", "spec", "status", "kind", "apiVersion"),
  hostilePiece,
);

/** Numbers (as JSON text) outside every range: big, tiny, negative, fractional, exponent overflow. */
export const hostileNumberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("1e400", "-1e400", "1e-400", "9007199254740993", "18446744073709551616", "-9223372036854775809", "0.1", "-0", "1E+2", "4294967296", "2147483648", "-1", "0"),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.integer({ min: 20, max: 400 }).map((n) => "9".repeat(n)),
);

/** Any JSON value, with hostile strings and keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Deeply nested JSON as text (arrays, objects or both), up to `max` levels. */
export function deepJsonText(max: number): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 100, max }), fc.constantFrom("array", "object", "mixed")).map(([depth, shape]) => {
    let open = "";
    let close = "";
    for (let i = 0; i < depth; i++) {
      const arr = shape === "array" || (shape === "mixed" && i % 2 === 0);
      open += arr ? "[" : '{"a":';
      close = (arr ? "]" : "}") + close;
    }
    return open + "1" + close;
  });
}

type Path = (string | number)[];

function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

export type Mutation =
  | { op: "replace"; at: number; value: unknown }
  | { op: "addKey"; at: number; key: string; value: unknown }
  | { op: "remove"; at: number }
  | { op: "rawNumber"; at: number; text: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("replace" as const), at: fc.nat(), value: hostileJson }),
  fc.record({ op: fc.constant("addKey" as const), at: fc.nat(), key: hostileKey, value: hostileJson }),
  fc.record({ op: fc.constant("remove" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("rawNumber" as const), at: fc.nat(), text: hostileNumberText }),
);

const RAW = "@@RAW-7f3a9c@@";

/**
 * Applies mutations to a copy of `doc` and serialises it. "rawNumber" plants a number literal that
 * JSON.stringify could not produce (1e400, 40 nines), so the server's own parser meets it.
 */
export function mutateToText(doc: unknown, ms: Mutation[]): string {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  let root: unknown = copy;
  const raws: string[] = [];
  for (const m of ms) {
    const all = paths(root);
    const p = all[m.at % all.length];
    const set = (value: unknown) => {
      if (p.length === 0) {
        root = value;
        return;
      }
      let parent: any = root;
      for (const k of p.slice(0, -1)) parent = parent[k];
      Object.defineProperty(parent, p[p.length - 1], { value, enumerable: true, writable: true, configurable: true });
    };
    let target: any = root;
    for (const k of p) target = target?.[k];
    if (m.op === "replace") set(m.value);
    else if (m.op === "rawNumber") {
      raws.push(m.text);
      set(`${RAW}${raws.length - 1}${RAW}`);
    } else if (m.op === "remove" && p.length > 0) {
      let parent: any = root;
      for (const k of p.slice(0, -1)) parent = parent[k];
      if (Array.isArray(parent)) parent.splice(Number(p[p.length - 1]), 1);
      else delete parent[p[p.length - 1]];
    } else if (m.op === "addKey" && target && typeof target === "object" && !Array.isArray(target)) {
      // defineProperty, so that "__proto__" becomes an own key and reaches the wire.
      Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    }
  }
  const text = JSON.stringify(root) ?? "null";
  return text.replace(new RegExp(`"${RAW}(\\d+)${RAW}"`, "g"), (_, i: string) => raws[Number(i)]);
}

/** YAML texts that attack parsers: alias bombs, deep nesting, tags, merge keys, duplicate keys. */
export const hostileYaml: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 3, max: 12 }).map((levels) => {
    // "Billion laughs": each level refers to the previous one ten times.
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(",")}]`);
    return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n${lines.map((l) => "x" + l).join("\n")}\ndata:\n  k: v\n`;
  }),
  fc.integer({ min: 100, max: 20_000 }).map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${"[".repeat(n)}${"]".repeat(n)}\n`),
  fc.integer({ min: 100, max: 5000 }).map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nx:\n${Array.from({ length: n }, (_, i) => " ".repeat(i + 1) + "- ").join("\n")}1\n`),
  fc.constantFrom(
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tags}\ndata: {k: !!binary aGVsbG8=}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fn}\ndata: {k: !!js/function 'function(){}'}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup, name: dup2}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: merge}\nspec:\n  <<: *m\n  <<: [*m, *m]\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: proto, __proto__: {polluted: yes}}\ndata: {__proto__: x}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {k: 1e400, j: 0x7fffffffffffffffffff}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nul}\ndata: {k: \"a\\0b\"}\n",
    "--- \napiVersion: v1\nkind: ConfigMap\nmetadata: {name: multi}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: multi2}\n",
    "&a [*a]\n",
    "? [a, b]\n: c\n",
    "%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y11}\ndata: {k: yes, j: 0o17, l: 1_000}\n",
    "\t\tapiVersion: v1\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'unterminated\n",
  ),
  fc.tuple(fc.string({ unit: "binary", maxLength: 200 })).map(([s]) => s),
);
