"use client";

import { FieldErrors, inputClass } from "@/components/ui/fields";
import {
  CHECKLIST_PHASE_HINTS,
  CHECKLIST_PHASE_LABELS,
  CHECKLIST_PHASES,
  type ChecklistPhase,
} from "@/lib/domain/deployment-checklist";
import { secondaryButtonClass } from "@/components/ui/buttons";

// One item of the checklist editor: its section, text, hint, whether it is required and the CI
// check that ticks it (and whether only that check may), with the buttons that move or remove
// it. Every control names its item for screen readers.

export interface Row {
  /** stable across moves, for React and for focus */
  key: string;
  id: string | null;
  section: string;
  /** before: the release's checklist (a gate); during / after: each deployment's */
  phase: ChecklistPhase;
  label: string;
  hint: string;
  required: boolean;
  /** the CI check whose success ticks the item; "" for none */
  checkName: string;
  ciOnly: boolean;
}

export function ChecklistRow({
  row,
  n,
  last,
  errors,
  onChange,
  onMove,
  onRemove,
  setRef,
}: {
  row: Row;
  /** 1-based place in the list */
  n: number;
  last: boolean;
  errors: (field: "id" | "section" | "phase" | "label" | "hint" | "checkName" | "ciOnly") => string[];
  onChange: (change: Partial<Row>) => void;
  onMove: (by: -1 | 1, button: "up" | "down") => void;
  onRemove: () => void;
  /** registers the label input and the move buttons, which keep focus across re-renders */
  setRef: (name: "label" | "up" | "down") => (el: HTMLElement | null) => void;
}) {
  const id = `checklist-${row.key}`;
  const labelErrors = [...errors("label"), ...errors("id")];
  return (
    <li className="rounded-md border border-slate-200 bg-slate-50/60 p-3">
      <fieldset>
        <legend className="sr-only">Item {n}</legend>
        <div className="grid gap-3 sm:grid-cols-[9rem_minmax(0,3fr)_minmax(0,2fr)]">
          <div>
            <label htmlFor={`${id}-section`} className="block text-xs font-medium text-slate-600">
              Section <span className="sr-only">of item {n}</span>
            </label>
            <input
              id={`${id}-section`}
              value={row.section}
              onChange={(e) => onChange({ section: e.currentTarget.value })}
              placeholder="e.g. Pre-deployment"
              className={inputClass}
              aria-invalid={errors("section").length ? true : undefined}
              aria-describedby={errors("section").length ? `${id}-section-error` : undefined}
            />
            <FieldErrors id={`${id}-section-error`} messages={errors("section")} />
          </div>
          <div>
            <label htmlFor={`${id}-label`} className="block text-xs font-medium text-slate-600">
              Item {n}
            </label>
            <input
              id={`${id}-label`}
              ref={setRef("label")}
              value={row.label}
              onChange={(e) => onChange({ label: e.currentTarget.value })}
              className={inputClass}
              aria-invalid={labelErrors.length ? true : undefined}
              aria-describedby={labelErrors.length ? `${id}-label-error` : undefined}
            />
            <FieldErrors id={`${id}-label-error`} messages={labelErrors} />
          </div>
          <div>
            <label htmlFor={`${id}-hint`} className="block text-xs font-medium text-slate-600">
              Hint <span className="sr-only">for item {n}</span>
              <span className="font-normal text-slate-500"> (optional)</span>
            </label>
            <input
              id={`${id}-hint`}
              value={row.hint}
              onChange={(e) => onChange({ hint: e.currentTarget.value })}
              className={inputClass}
              aria-invalid={errors("hint").length ? true : undefined}
              aria-describedby={errors("hint").length ? `${id}-hint-error` : undefined}
            />
            <FieldErrors id={`${id}-hint-error`} messages={errors("hint")} />
          </div>
        </div>
        <div className="mt-3">
          <label htmlFor={`${id}-phase`} className="block text-xs font-medium text-slate-600">
            When <span className="sr-only">item {n} is ticked</span>
          </label>
          <select
            id={`${id}-phase`}
            value={row.phase}
            onChange={(e) => {
              const phase = CHECKLIST_PHASES.find((p) => p === e.currentTarget.value);
              if (phase) onChange({ phase });
            }}
            className={`${inputClass} sm:max-w-xs`}
            aria-invalid={errors("phase").length ? true : undefined}
            aria-describedby={[`${id}-phase-hint`, errors("phase").length ? `${id}-phase-error` : null]
              .filter(Boolean)
              .join(" ")}
          >
            {CHECKLIST_PHASES.map((phase) => (
              <option key={phase} value={phase}>
                {CHECKLIST_PHASE_LABELS[phase]}
              </option>
            ))}
          </select>
          <p id={`${id}-phase-hint`} className="mt-1 text-xs text-slate-500">
            {CHECKLIST_PHASE_HINTS[row.phase]}
          </p>
          <FieldErrors id={`${id}-phase-error`} messages={errors("phase")} />
        </div>
        <div className="mt-3 grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)] sm:items-start">
          <div>
            <label htmlFor={`${id}-check`} className="block text-xs font-medium text-slate-600">
              Satisfied by check <span className="sr-only">for item {n}</span>
              <span className="font-normal text-slate-500"> (optional)</span>
            </label>
            <input
              id={`${id}-check`}
              value={row.checkName}
              onChange={(e) => onChange({ checkName: e.currentTarget.value })}
              placeholder="e.g. e2e"
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono`}
              aria-invalid={errors("checkName").length ? true : undefined}
              aria-describedby={[`${id}-check-hint`, errors("checkName").length ? `${id}-check-error` : null]
                .filter(Boolean)
                .join(" ")}
            />
            <p id={`${id}-check-hint`} className="mt-1 text-xs text-slate-500">
              The CI check whose success ticks this item; its failure unticks it, whoever ticked it.
            </p>
            <FieldErrors id={`${id}-check-error`} messages={errors("checkName")} />
          </div>
          <div className="sm:pt-5">
            <label className="flex items-center gap-2 text-sm text-slate-900">
              <input
                type="checkbox"
                checked={row.ciOnly}
                onChange={(e) => onChange({ ciOnly: e.currentTarget.checked })}
                className="size-4 accent-slate-900"
                aria-invalid={errors("ciOnly").length ? true : undefined}
                aria-describedby={errors("ciOnly").length ? `${id}-ci-only-error` : undefined}
              />
              CI only <span className="sr-only">for item {n}</span>
            </label>
            <p className="mt-1 text-xs text-slate-500">People cannot tick or untick it: only the check does.</p>
            <FieldErrors id={`${id}-ci-only-error`} messages={errors("ciOnly")} />
          </div>
        </div>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <label className="mr-auto flex items-center gap-2 text-sm text-slate-900">
            <input
              type="checkbox"
              checked={row.required}
              onChange={(e) => onChange({ required: e.currentTarget.checked })}
              className="size-4 accent-slate-900"
            />
            Required <span className="sr-only">item {n}</span>
          </label>
          {n > 1 ? (
            <button type="button" ref={setRef("up")} className={secondaryButtonClass} onClick={() => onMove(-1, "up")}>
              Up<span className="sr-only"> (move item {n} up)</span>
            </button>
          ) : null}
          {!last ? (
            <button
              type="button"
              ref={setRef("down")}
              className={secondaryButtonClass}
              onClick={() => onMove(1, "down")}
            >
              Down<span className="sr-only"> (move item {n} down)</span>
            </button>
          ) : null}
          <button type="button" className={secondaryButtonClass} onClick={onRemove}>
            Remove<span className="sr-only"> item {n}</span>
          </button>
        </div>
      </fieldset>
    </li>
  );
}
