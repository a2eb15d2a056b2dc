"use client";

import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { updateChecklistTemplateAction } from "@/app/environments/[key]/settings/actions";
import type { ChecklistTemplateSummary, ChecklistTimingName } from "@/lib/data/environments/read";
import { ChecklistRow, type Row } from "./checklist-row";
import { InputField, FieldErrors } from "@/components/ui/fields";
import { useFocusFirstInvalid, FormOutcome, type FormState } from "@/components/ui/form";
import { primaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";

// The checklist every release works through here, edited as a list and saved in one go: the
// order on screen is the order stored. Each item says when it is ticked: before promotion (the
// release's checklist, a gate), or during or after each deployment here (never a gate). Items keep their id, so a renamed item stays the same
// item; a removed one disappears from the template while releases keep their copies.

let counter = 0;
const newKey = () => `new-${++counter}`;

function rowsOf(checklist: ChecklistTemplateSummary | null): Row[] {
  return (checklist?.items ?? []).map((i) => ({
    key: i.id,
    id: i.id,
    section: i.section ?? "",
    phase: i.phase,
    label: i.label,
    hint: i.hint ?? "",
    required: i.required,
    checkName: i.checkName ?? "",
    ciOnly: i.ciOnly,
  }));
}

const TIMINGS: { value: ChecklistTimingName; label: string; hint: string }[] = [
  {
    value: "before_entry",
    label: "Before a release deploys here",
    hint: "A pre-deployment checklist: promoting into this environment waits for its required items",
  },
  {
    value: "before_exit",
    label: "While a release runs here, before it moves on",
    hint: "e.g. testing in staging: promoting to the next environment waits for its required items",
  },
];

export function SettingsChecklistEditor({
  environmentKey,
  checklist,
  defaultName,
}: {
  environmentKey: string;
  checklist: ChecklistTemplateSummary | null;
  defaultName: string;
}) {
  const [name, setName] = useState(checklist?.name ?? defaultName);
  const [timing, setTiming] = useState<ChecklistTimingName>(checklist?.timing ?? "before_entry");
  const [rows, setRows] = useState<Row[]>(() => rowsOf(checklist));
  const [state, setState] = useState<FormState<ChecklistTemplateSummary>>(null);
  // which row each submitted index was, so errors stay with their item after moves
  const [submitted, setSubmitted] = useState<string[]>([]);
  const [pending, startTransition] = useTransition();
  // where focus goes once the list has re-rendered after an add, a move or a removal
  const focusNext = useRef<string | null>(null);
  const refs = useRef(new Map<string, HTMLElement>());
  const addRef = useRef<HTMLButtonElement>(null);
  const setFocusTarget = (target: string) => (focusNext.current = target);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(state, form);

  useEffect(() => {
    const target = focusNext.current;
    if (!target) return;
    focusNext.current = null;
    (target === "add" ? addRef.current : refs.current.get(target))?.focus();
  });

  const update = (key: string, change: Partial<Row>) =>
    setRows((list) => list.map((r) => (r.key === key ? { ...r, ...change } : r)));
  function move(index: number, by: -1 | 1, button: "up" | "down") {
    setRows((list) => {
      const next = [...list];
      const [row] = next.splice(index, 1);
      if (row) next.splice(index + by, 0, row);
      return next;
    });
    const row = rows[index];
    // at the top or bottom the pressed button disappears: keep focus on its twin
    const lands = index + by;
    const edge = lands === 0 ? "down" : lands === rows.length - 1 ? "up" : button;
    if (row) setFocusTarget(`${row.key}:${edge}`);
  }
  function remove(index: number) {
    const after = rows[index + 1] ?? rows[index - 1];
    setRows((list) => list.filter((_, i) => i !== index));
    setFocusTarget(after ? `${after.key}:label` : "add");
  }
  function add() {
    const key = newKey();
    setRows((list) => [
      ...list,
      {
        key,
        id: null,
        section: list.at(-1)?.section ?? "",
        phase: list.at(-1)?.phase ?? "before",
        label: "",
        hint: "",
        required: true,
        checkName: "",
        ciOnly: false,
      },
    ]);
    setFocusTarget(`${key}:label`);
  }

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const keys = rows.map((r) => r.key);
    startTransition(async () => {
      const result = await updateChecklistTemplateAction(environmentKey, {
        name,
        timing,
        items: rows.map(({ id, section, phase, label, hint, required, checkName, ciOnly }) => ({
          id,
          section,
          phase,
          label,
          hint,
          required,
          checkName,
          ciOnly,
        })),
      });
      setSubmitted(keys);
      setState(result);
      // saved items now have ids: the next save updates them instead of creating them again
      if (result.ok) {
        setRows(rowsOf(result.data));
        setName(result.data.name);
        setTiming(result.data.timing);
      }
    });
  }

  const fieldErrors = (field: string) => (state && !state.ok ? (state.fieldErrors?.[field] ?? []) : []);
  const rowErrors = (key: string, field: string) => {
    const index = submitted.indexOf(key);
    return index < 0 ? [] : fieldErrors(`items.${index}.${field}`);
  };
  const setRef = (key: string) => (el: HTMLElement | null) => {
    if (el) refs.current.set(key, el);
    else refs.current.delete(key);
  };

  return (
    <form ref={form} onSubmit={save} noValidate className="space-y-5">
      <InputField
        id="checklist-name"
        name="name"
        label="Checklist name"
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        autoComplete="off"
        className="max-w-md"
        errors={fieldErrors("name")}
      />
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">When it is done</legend>
        <div className="mt-2 space-y-2 text-sm">
          {TIMINGS.map((option) => (
            <label key={option.value} className="flex items-start gap-2">
              <input
                type="radio"
                name="timing"
                value={option.value}
                checked={timing === option.value}
                onChange={() => setTiming(option.value)}
                className="mt-0.5 size-4 accent-brand-600"
              />
              <span>
                <span className="font-medium text-slate-900">{option.label}</span>
                <span className="block text-slate-600">{option.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600">
          No items: releases need no ticked items here. Add one below.
        </p>
      ) : (
        <ol className="space-y-3" aria-label="Checklist items">
          {rows.map((row, i) => (
            <ChecklistRow
              key={row.key}
              row={row}
              n={i + 1}
              last={i === rows.length - 1}
              errors={(field) => rowErrors(row.key, field)}
              onChange={(change) => update(row.key, change)}
              onMove={(by, button) => move(i, by, button)}
              onRemove={() => remove(i)}
              setRef={(name) => setRef(`${row.key}:${name}`)}
            />
          ))}
        </ol>
      )}
      <FieldErrors id="checklist-items-error" messages={fieldErrors("items")} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" ref={addRef} className={secondaryButtonClass} onClick={add} disabled={rows.length >= 100}>
          Add item
        </button>
        <button type="submit" className={primaryButtonClass} disabled={pending}>
          {pending ? "Saving…" : "Save checklist"}
        </button>
      </div>
      <FormOutcome state={state} success="Checklist saved. New releases get this list; earlier ones keep theirs." />
    </form>
  );
}
