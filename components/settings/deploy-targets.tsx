"use client";

import { useRef, useState, useTransition } from "react";
import { deleteDeployTargetAction, testDeployTargetAction } from "@/app/environments/[key]/settings/actions";
import type { DeployTargetRow, ProviderChoice } from "@/lib/data/environments/settings";
import type { RolloutStrategy } from "@/lib/domain/rollout";
import { useStepUpAction } from "@/components/shell/step-up";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { secondaryButtonClass } from "@/components/ui/buttons";
import { DeployTargetForm } from "./deploy-target-form";
import { NO_TARGET, TargetFacts } from "./target-facts";

// Per application, how a release reaches this environment: the provider, what it is set to do,
// which variable holds its secret and whether that variable is set on this server (never its
// value). Edit opens the form in place; "Test connection" reaches the saved target.

function TestConnection({ environmentKey, application }: { environmentKey: string; application: string }) {
  const test = useStepUpAction(testDeployTargetAction);
  const [pending, startTransition] = useTransition();
  const [answer, setAnswer] = useState<{ ok: boolean; message: string } | null>(null);
  function run() {
    setAnswer(null);
    startTransition(async () => {
      const result = await test(environmentKey, application);
      setAnswer(
        result.ok ? { ok: result.data.ok, message: result.data.message } : { ok: false, message: result.message },
      );
    });
  }
  return (
    <div className="space-y-2">
      <button type="button" className={secondaryButtonClass} onClick={run} disabled={pending}>
        {pending ? "Testing… (up to 15 s)" : "Test connection"}
      </button>
      <p role="status" className="text-sm">
        {answer ? (
          <span className={answer.ok ? "text-green-800" : "text-red-700"}>
            {answer.ok ? "Reached: " : "Not reached: "}
            {answer.message}
          </span>
        ) : null}
      </p>
    </div>
  );
}

export function SettingsDeployTargets({
  environmentKey,
  targets,
  providers,
  strategy,
}: {
  environmentKey: string;
  targets: DeployTargetRow[];
  providers: ProviderChoice[];
  strategy: RolloutStrategy;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const editButtons = useRef(new Map<string, HTMLButtonElement>());
  const close = (key: string) => {
    setEditing(null);
    // back to the button that opened the form
    requestAnimationFrame(() => editButtons.current.get(key)?.focus());
  };

  if (targets.length === 0)
    return (
      <p className="text-sm text-slate-600">
        No applications yet: a target is chosen per application once releases of one are created.
      </p>
    );

  return (
    <ul className="divide-y divide-slate-200" aria-label="Deploy targets by application">
      {targets.map(({ application, target }) => (
        <li key={application.key} className="space-y-3 p-4 sm:p-5">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div className="min-w-0">
              <h3 className="font-medium text-slate-900">{application.name}</h3>
              {target ? <TargetFacts target={target} /> : <p className="mt-1 text-sm text-amber-800">{NO_TARGET}</p>}
            </div>
            {editing === application.key ? null : (
              <div className="flex flex-wrap items-start gap-2">
                <button
                  type="button"
                  ref={(el) => {
                    if (el) editButtons.current.set(application.key, el);
                    else editButtons.current.delete(application.key);
                  }}
                  className={secondaryButtonClass}
                  onClick={() => setEditing(application.key)}
                >
                  {target ? "Edit" : "Set up"}
                  <span className="sr-only"> the deploy target of {application.name}</span>
                </button>
                {target ? (
                  <ConfirmButton
                    label="Remove"
                    subject={`the deploy target of ${application.name}`}
                    consequence="Promotions of it into this environment fail until a target is set again."
                    confirmLabel="Yes, remove"
                    pendingLabel="Removing…"
                    action={() => deleteDeployTargetAction(environmentKey, application.key)}
                    onDone={() => editButtons.current.get(application.key)?.focus()}
                  />
                ) : null}
              </div>
            )}
          </div>
          {target?.canTest && editing !== application.key ? (
            <TestConnection environmentKey={environmentKey} application={application.key} />
          ) : null}
          {editing === application.key ? (
            <DeployTargetForm
              environmentKey={environmentKey}
              application={application}
              target={target}
              providers={providers}
              strategy={strategy}
              onSaved={() => close(application.key)}
              onCancel={() => close(application.key)}
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
