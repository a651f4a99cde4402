/** A phase as a word on its colour (never the colour alone). */
import { phaseStyle } from "../../../model/phase-style.js";

export function PhaseBadge({ phase, terminating }: { phase: string; terminating?: boolean }) {
  const s = phaseStyle(phase);
  return (
    <>
      <span className={`badge${s.dashed ? " dashed" : ""}`} style={{ background: s.background, color: s.text, borderColor: s.border }} data-phase={phase}>
        {s.label}
      </span>
      {terminating && <span className="badge terminating">Terminating</span>}
    </>
  );
}
