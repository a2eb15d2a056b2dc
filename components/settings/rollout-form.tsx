"use client";

import { useRef, useState, useTransition, type FormEvent } from "react";
import { updateRolloutSettingsAction } from "@/app/environments/[key]/settings/actions";
import type { RolloutSettings } from "@/lib/data/environments/settings";
import { QUEUE_POLICIES, QUEUE_POLICY_HINTS, QUEUE_POLICY_LABELS, type QueuePolicy } from "@/lib/domain/deploy-queue";
import { MAX_ROLLOUT_STEPS, ROLLOUT_STRATEGIES, STRATEGY_LABELS, type RolloutStrategy } from "@/lib/domain/rollout";
import { useStepUpAction } from "@/components/shell/step-up";
import { FieldErrors, inputClass } from "@/components/ui/fields";
import { FormOutcome, useFocusFirstInvalid, type FormState } from "@/components/ui/form";
import { primaryButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { HealthChecksEditor, checkOfRow, rowsOfChecks, type CheckRow } from "./health-checks-editor";

// How a release replaces the one running here, saved in one go: the strategy, the traffic steps
// with their pauses, what a second promotion does meanwhile, and the health checks watched
// between steps. The server checks it all again (environment.rollout.update) and refuses a
// strategy one of the deploy targets cannot run.

export const STRATEGY_HINTS: Record<RolloutStrategy, string> = {
  direct: "The new release replaces the old one in one step.",
  blue_green:
    "The new release starts beside the old one (the idle colour), then traffic switches over in the steps below; the old colour stays for an instant rollback.",
  canary: "The new release takes a growing share of traffic, step by step, with a pause and health checks after each.",
};

interface StepRow {
  key: string;
  percent: string;
  pauseSeconds: string;
}

// saved steps are keyed by place (ids match when the page hydrates), added ones freshly
let counter = 0;
const newKey = () => `step-new-${++counter}`;

export function SettingsRolloutForm({ environmentKey, rollout }: { environmentKey: string; rollout: RolloutSettings }) {
  const [strategy, setStrategy] = useState<RolloutStrategy>(rollout.strategy);
  const [queuePolicy, setQueuePolicy] = useState<QueuePolicy>(rollout.queuePolicy);
  const [steps, setSteps] = useState<StepRow[]>(() =>
    rollout.steps.map((s, i) => ({
      key: `step-${i}`,
      percent: String(s.percent),
      pauseSeconds: String(s.pauseSeconds),
    })),
  );
  const [checks, setChecks] = useState<CheckRow[]>(() => rowsOfChecks(rollout.healthChecks));
  const [state, setState] = useState<FormState<RolloutSettings>>(null);
  // which row each submitted index was, so messages stay with their check after removals
  const [submitted, setSubmitted] = useState<string[]>([]);
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const save = useStepUpAction(updateRolloutSettingsAction);
  useFocusFirstInvalid(state, form);

  const fieldErrors = (field: string) => (state && !state.ok ? (state.fieldErrors?.[field] ?? []) : []);
  const checkErrors = (key: string, field: string) => {
    const index = submitted.indexOf(key);
    if (index < 0) return [];
    return field === "_" ? fieldErrors(`healthChecks.${index}`) : fieldErrors(`healthChecks.${index}.${field}`);
  };
  const stepErrors = [
    ...fieldErrors("steps"),
    ...Object.entries(state && !state.ok ? (state.fieldErrors ?? {}) : {})
      .filter(([k]) => k.startsWith("steps."))
      .flatMap(([, m]) => m),
  ];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const keys = checks.map((c) => c.key);
    startTransition(async () => {
      const result = await save(environmentKey, {
        strategy,
        queuePolicy,
        steps: steps.map((s) => ({ percent: s.percent, pauseSeconds: s.pauseSeconds })),
        healthChecks: checks.map(checkOfRow),
      });
      setSubmitted(keys);
      setState(result);
      if (result.ok) setChecks(rowsOfChecks(result.data.healthChecks));
    });
  }

  const radio = "mt-0.5 size-4 accent-slate-900";
  return (
    <form ref={form} onSubmit={submit} noValidate className="space-y-6">
      <fieldset aria-describedby={fieldErrors("strategy").length ? "rollout-strategy-error" : undefined}>
        <legend className="text-sm font-medium text-slate-900">Strategy</legend>
        <div className="mt-2 space-y-2 text-sm">
          {ROLLOUT_STRATEGIES.map((s) => (
            <label key={s} className="flex items-start gap-2">
              <input
                type="radio"
                name="strategy"
                value={s}
                checked={strategy === s}
                onChange={() => setStrategy(s)}
                className={radio}
                aria-invalid={fieldErrors("strategy").length && strategy === s ? true : undefined}
              />
              <span>
                <span className="font-medium text-slate-900">{STRATEGY_LABELS[s]}</span>
                <span className="block text-slate-600">{STRATEGY_HINTS[s]}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldErrors id="rollout-strategy-error" messages={fieldErrors("strategy")} />
      </fieldset>

      <fieldset aria-describedby={`rollout-steps-hint${stepErrors.length ? " rollout-steps-error" : ""}`}>
        <legend className="text-sm font-medium text-slate-900">Traffic steps</legend>
        <p id="rollout-steps-hint" className="mt-1 text-sm text-slate-600">
          The share of traffic on the new release after each step, rising, and how long to watch before the next.
          {strategy === "direct" ? " Direct deploys do not use them; they are kept for later." : ""} A plan that stops
          short of 100 % gets a last full step.
        </p>
        {steps.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No steps: traffic moves to the new release in one go.</p>
        ) : (
          <ol className="mt-2 space-y-2" aria-label="Traffic steps">
            {steps.map((step, i) => (
              <li key={step.key} className="flex flex-wrap items-end gap-3">
                <div>
                  <label htmlFor={`${step.key}-percent`} className="block text-xs font-medium text-slate-700">
                    Step {i + 1}: traffic %
                  </label>
                  <input
                    id={`${step.key}-percent`}
                    inputMode="numeric"
                    value={step.percent}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setSteps((l) => l.map((s) => (s.key === step.key ? { ...s, percent: value } : s)));
                    }}
                    className={`${inputClass} w-24`}
                    aria-invalid={stepErrors.some((m) => m.startsWith(`Step ${i + 1}:`)) ? true : undefined}
                    aria-describedby={stepErrors.length ? "rollout-steps-error" : undefined}
                  />
                </div>
                <div>
                  <label htmlFor={`${step.key}-pause`} className="block text-xs font-medium text-slate-700">
                    then pause (seconds)
                  </label>
                  <input
                    id={`${step.key}-pause`}
                    inputMode="numeric"
                    value={step.pauseSeconds}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setSteps((l) => l.map((s) => (s.key === step.key ? { ...s, pauseSeconds: value } : s)));
                    }}
                    className={`${inputClass} w-32`}
                    aria-describedby={stepErrors.length ? "rollout-steps-error" : undefined}
                  />
                </div>
                <button
                  type="button"
                  className={secondaryButtonClass}
                  onClick={() => setSteps((l) => l.filter((s) => s.key !== step.key))}
                >
                  Remove<span className="sr-only"> step {i + 1}</span>
                </button>
              </li>
            ))}
          </ol>
        )}
        <FieldErrors id="rollout-steps-error" messages={stepErrors} />
        <button
          type="button"
          className={`${secondaryButtonClass} mt-2`}
          disabled={steps.length >= MAX_ROLLOUT_STEPS}
          onClick={() =>
            setSteps((l) => [
              ...l,
              {
                key: newKey(),
                percent: String(Math.min(100, Number(l.at(-1)?.percent ?? 0) * 2 || 5)),
                pauseSeconds: l.at(-1)?.pauseSeconds ?? "300",
              },
            ])
          }
        >
          Add step
        </button>
      </fieldset>

      <fieldset aria-describedby={fieldErrors("queuePolicy").length ? "rollout-queue-error" : undefined}>
        <legend className="text-sm font-medium text-slate-900">While a deployment is under way</legend>
        <div className="mt-2 space-y-2 text-sm">
          {QUEUE_POLICIES.map((p) => (
            <label key={p} className="flex items-start gap-2">
              <input
                type="radio"
                name="queuePolicy"
                value={p}
                checked={queuePolicy === p}
                onChange={() => setQueuePolicy(p)}
                className={radio}
              />
              <span>
                <span className="font-medium text-slate-900">{QUEUE_POLICY_LABELS[p]}</span>
                <span className="block text-slate-600">{QUEUE_POLICY_HINTS[p]}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldErrors id="rollout-queue-error" messages={fieldErrors("queuePolicy")} />
      </fieldset>

      <fieldset>
        <legend className="text-sm font-medium text-slate-900">Health checks</legend>
        <p className="mb-3 mt-1 text-sm text-slate-600">
          Measured between steps and after the switch. A failure rolls back; an inconclusive result (or no data) pauses
          the rollout for a person.
        </p>
        <HealthChecksEditor
          rows={checks}
          setRows={setChecks}
          errors={checkErrors}
          listErrors={fieldErrors("healthChecks")}
        />
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButtonClass} disabled={pending}>
          {pending ? "Saving…" : "Save rollout"}
        </button>
      </div>
      <FormOutcome state={state} success="Rollout saved. It applies to the next promotion." />
    </form>
  );
}
