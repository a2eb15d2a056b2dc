import type { EffectiveRollout } from "@/lib/data/environments/settings";
import { QUEUE_POLICY_HINTS, QUEUE_POLICY_LABELS } from "@/lib/domain/deploy-queue";
import { STRATEGY_LABELS } from "@/lib/domain/rollout";
import { Card, Section } from "@/components/ui/section";
import { NO_TARGET, TargetFacts } from "./target-facts";

// The rollout and deploy targets as they are, for people who may view the environment but not
// change its settings: the same facts as the managers' forms, nothing to press.

export function EffectiveRolloutSettings({ effective }: { effective: EffectiveRollout }) {
  const { rollout, targets } = effective;
  return (
    <div className="space-y-10">
      <Section id="rollout" title="Rollout" description="How a release replaces the one running here (read-only).">
        <Card className="max-w-4xl p-4 sm:p-5">
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-slate-500">Strategy</dt>
            <dd className="text-slate-900">{STRATEGY_LABELS[rollout.strategy]}</dd>
            <dt className="text-slate-500">Traffic steps</dt>
            <dd className="text-slate-900">
              {rollout.strategy === "direct" || rollout.steps.length === 0
                ? "One step to 100 %"
                : rollout.steps.map((s) => `${s.percent} % (then ${s.pauseSeconds} s)`).join(" → ")}
            </dd>
            <dt className="text-slate-500">While a deployment is under way</dt>
            <dd className="text-slate-900">
              {QUEUE_POLICY_LABELS[rollout.queuePolicy]}: {QUEUE_POLICY_HINTS[rollout.queuePolicy]}
            </dd>
            <dt className="text-slate-500">Health checks</dt>
            <dd className="text-slate-900">
              {rollout.healthChecks.length === 0 ? (
                "None: rollouts move on after each pause without measuring anything."
              ) : (
                <ul className="space-y-1">
                  {rollout.healthChecks.map((c) => (
                    <li key={c.name}>
                      <span className="font-medium">{c.name}</span>:{" "}
                      {c.kind === "http" ? (
                        <>
                          HTTP {c.url} answers {c.expectedStatus}, every {c.intervalSeconds} s, {c.failuresAllowed}{" "}
                          failures allowed in a row
                        </>
                      ) : (
                        <>
                          <code className="break-all font-mono text-xs">{c.query}</code> {c.comparator} {c.threshold} →{" "}
                          {c.onBreach}, every {c.intervalSeconds} s
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        </Card>
      </Section>
      <Section
        id="targets"
        title="Deploy targets"
        description="How each application reaches this environment (read-only)."
      >
        <Card className="max-w-4xl">
          {targets.length === 0 ? (
            <p className="p-4 text-sm text-slate-600 sm:p-5">No applications yet.</p>
          ) : (
            <ul className="divide-y divide-slate-200">
              {targets.map(({ application, target }) => (
                <li key={application.key} className="p-4 sm:p-5">
                  <h3 className="font-medium text-slate-900">{application.name}</h3>
                  {target ? (
                    <TargetFacts target={target} />
                  ) : (
                    <p className="mt-1 text-sm text-amber-800">{NO_TARGET}</p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </Section>
    </div>
  );
}
