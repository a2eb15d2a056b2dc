"use client";

import type { Ref } from "react";
import { DecisionWord } from "./decisions";
import { secondaryButtonClass } from "@/components/ui/buttons";

/** The viewer's own decision, with the two things they may still do about it. */
export function ReleaseMyDecision({
  decision,
  withdrawing,
  changeRef,
  onChange,
  onWithdraw,
}: {
  decision: "approved" | "rejected";
  withdrawing: boolean;
  /** the focus comes back here when the change is cancelled */
  changeRef: Ref<HTMLButtonElement>;
  onChange: () => void;
  onWithdraw: () => void;
}) {
  return (
    <div className="space-y-2">
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
        Your decision: <DecisionWord decision={decision} />
      </p>
      <div className="flex flex-wrap gap-2">
        <button
          ref={changeRef}
          type="button"
          onClick={onChange}
          disabled={withdrawing}
          className={secondaryButtonClass}
        >
          Change
        </button>
        <button type="button" onClick={onWithdraw} disabled={withdrawing} className={secondaryButtonClass}>
          {withdrawing ? "Withdrawing…" : "Withdraw"}
        </button>
      </div>
    </div>
  );
}
