/**
 * How each phase looks. A phase is always written out as text beside its colour (colour is never
 * the only cue), the text colour reaches WCAG AA contrast (4.5:1) on its badge, and the border that
 * carries the colour on the page reaches the 3:1 asked of graphical objects (WCAG 1.4.11).
 */

export interface PhaseStyle {
  /** The word shown to people. */
  label: string;
  background: string;
  text: string;
  border: string;
  /** Pending and unknown things get a dashed outline, a second non-colour cue. */
  dashed: boolean;
}

/** The page background phase borders are drawn on. */
export const PAGE_BACKGROUND = "#ffffff";

const styles: Record<string, PhaseStyle> = {
  Available: { label: "Available", background: "#dbeafe", text: "#1e3a8a", border: "#2563eb", dashed: false },
  Bound: { label: "Bound", background: "#dcfce7", text: "#14532d", border: "#15803d", dashed: false },
  Running: { label: "Running", background: "#dcfce7", text: "#14532d", border: "#15803d", dashed: false },
  Released: { label: "Released", background: "#fef3c7", text: "#78350f", border: "#b45309", dashed: false },
  Failed: { label: "Failed", background: "#fee2e2", text: "#7f1d1d", border: "#dc2626", dashed: false },
  Pending: { label: "Pending", background: "#f3f4f6", text: "#374151", border: "#6b7280", dashed: true },
  Lost: { label: "Lost", background: "#f3e8ff", text: "#581c87", border: "#9333ea", dashed: false },
  Succeeded: { label: "Succeeded", background: "#e0f2fe", text: "#0c4a6e", border: "#0369a1", dashed: false },
  Unknown: { label: "Unknown", background: "#ffffff", text: "#374151", border: "#6b7280", dashed: true },
  Missing: { label: "Not found", background: "#ffffff", text: "#7f1d1d", border: "#b91c1c", dashed: true },
};

export const KNOWN_PHASES = Object.keys(styles);

export function phaseStyle(phase: string): PhaseStyle {
  return styles[phase] ?? { ...styles.Unknown, label: phase || "Unknown" };
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of "#rrggbb". */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => channel(parseInt(x, 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two colours, 1..21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
