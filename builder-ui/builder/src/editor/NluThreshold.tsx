// The threshold field the NLU panels share (Try a phrase, Check the intents): prefilled with
// the section's global threshold, following it until the author types over it, read as typed
// ("0,7" too).
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { ScenarioDocument } from "../api/types";
import { globalThreshold } from "./nlu";

/** A threshold as typed ("0,7" too), or null when it is not a number from 0 to 1. */
export function parseThreshold(raw: string): number | null {
  if (raw.trim() === "") return null;
  const n = Number(raw.trim().replace(",", "."));
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

export interface Threshold {
  text: string;
  setText: (text: string) => void;
  /** null while what is typed is not a number from 0 to 1. */
  value: number | null;
}

/** The section's global threshold (or `fallback`) until typed over. */
export function useThreshold(doc: ScenarioDocument, fallback: number): Threshold {
  const prefill = String(globalThreshold(doc) ?? fallback);
  const [text, setText] = useState(prefill);
  const prefilled = useRef(prefill);
  useEffect(() => {
    if (prefill !== prefilled.current) {
      setText((current) => (current === prefilled.current ? prefill : current));
      prefilled.current = prefill;
    }
  }, [prefill]);
  return { text, setText, value: parseThreshold(text) };
}

export function ThresholdInput({
  threshold,
  label,
  testId,
  className,
  onEnter,
}: {
  threshold: Threshold;
  label: string;
  testId: string;
  className: string;
  onEnter: () => void;
}) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter") {
      event.preventDefault();
      onEnter();
    }
  };
  return (
    <label className={className}>
      <span className="small muted">{label}</span>
      <input
        type="number"
        min={0}
        max={1}
        step={0.05}
        data-testid={testId}
        value={threshold.text}
        aria-invalid={threshold.value === null ? true : undefined}
        onChange={(e) => threshold.setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
    </label>
  );
}
