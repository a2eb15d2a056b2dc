import type { DeploymentLogView, PromotionView } from "@/lib/data/promotion/view";
import { ApprovalPanel } from "./approval-panel";
import { DeploymentLog } from "@/components/deploy/log";
import { GateList } from "./gate-list";
import { PromoteButton } from "./promote-button";
import { ReleaseChecklist } from "./checklist";
import { ReleaseSecondFactorNote, type GuardedEnvironment } from "./second-factor-note";
import { Card, Section } from "@/components/ui/section";
import { AbsoluteTime, RelativeTime } from "@/components/ui/relative-time";
import { PromotionRange } from "./promotion-range";
import { rangeSummary } from "./range-summary";

// The release page's "Next: <environment>" section: the deploy under way there, the gates,
// the promote button, the approvals and the checklist, all from one getPromotion read. The
// approvals and the checklist are keyed by the environment, so nothing typed for one stage
// lingers into the next once the release moves on; the promote button stays, to say where
// the release it sent has landed.

export function ReleasePromotion({
  promotion,
  authorName,
  log,
  secondFactor,
}: {
  promotion: PromotionView;
  authorName: string | null;
  /** the log of the deployment in progress there, if any */
  log: DeploymentLogView | null;
  /** the environments of this step that ask the viewer for a second factor, and when this session passed one */
  secondFactor?: { environments: GuardedEnvironment[]; verifiedAt: Date | null };
}) {
  const { environment, version, previous, you, asOf } = promotion;
  const showApprovals = environment.requiredApprovals > 0 || promotion.decisions.length > 0 || you.mayApprove;
  const contents = { summary: rangeSummary(promotion.range), rollback: promotion.range.direction === "rollback" };
  return (
    <Section
      id="next"
      title={`Next: ${environment.name}`}
      description={
        previous
          ? `What ${version} waits for before it goes from ${previous.name} to ${environment.name}.`
          : `What ${version} waits for before it enters ${environment.name}.`
      }
    >
      <div className="space-y-6">
        {secondFactor ? (
          <ReleaseSecondFactorNote
            environments={secondFactor.environments}
            verifiedAt={secondFactor.verifiedAt}
            now={asOf}
          />
        ) : null}
        {promotion.busy ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            {promotion.busy.version} is being deployed to {environment.name} ({promotion.busy.status.replace("_", " ")}
            ).{" "}
            {promotion.inProgress
              ? `${version} waits in the queue behind it.`
              : promotion.queuePolicy === "queue"
                ? `Promoting ${version} now puts it in the queue behind it.`
                : promotion.queuePolicy === "replace"
                  ? `Promoting ${version} now puts it next in line, replacing any release already waiting.`
                  : "This release can be promoted once it has finished."}
          </p>
        ) : null}
        {promotion.inProgress && log ? (
          <Card className="px-4 py-4 sm:px-5">
            <DeploymentLog log={log} now={asOf} />
          </Card>
        ) : null}
        <PromotionRange range={promotion.range} version={version} environmentName={environment.name} now={asOf} />
        <div className={`grid items-start gap-6 ${showApprovals ? "lg:grid-cols-2" : ""}`}>
          <Card className="px-4 py-4 sm:px-5">
            <h3 className="mb-2 font-semibold text-slate-900">Gates</h3>
            <GateList gates={promotion.gates} environmentName={environment.name} />
            {/* all gates passing yet not promoted: not the candidate, another branch, or a hold; a person decides */}
            {promotion.automatic && !promotion.passed && !promotion.inProgress && !promotion.decisionsLocked ? (
              <p className="mt-3 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 ring-1 ring-sky-200">
                {promotion.automatic.at ? (
                  <>
                    {environment.name} promotes automatically: Greenlight promotes {version} at{" "}
                    <AbsoluteTime date={promotion.automatic.at} /> (
                    <RelativeTime date={promotion.automatic.at} now={asOf} />
                    ), when the time it waits for has passed. Nobody needs to keep this page open.
                  </>
                ) : (
                  `${environment.name} promotes automatically: ${version} goes as soon as the gates above pass.`
                )}
              </p>
            ) : null}
            <div className="mt-4 border-t border-slate-100 pt-4">
              <PromoteButton
                releaseId={promotion.releaseId}
                version={version}
                environment={environment}
                gates={promotion.gates}
                passed={promotion.passed}
                freezeOnly={promotion.freezeOnly}
                busy={promotion.busy}
                inProgress={promotion.inProgress}
                queuePolicy={promotion.queuePolicy}
                you={you}
                contents={contents}
              />
            </div>
          </Card>
          {showApprovals ? (
            <ApprovalPanel
              key={environment.key}
              promotion={{
                releaseId: promotion.releaseId,
                version,
                environment,
                decisions: promotion.decisions,
                decisionsLocked: promotion.decisionsLocked,
                you,
                asOf,
              }}
              authorName={authorName}
              contents={contents}
            />
          ) : null}
        </div>
        {promotion.checklists.map((checklist) => (
          // staging's "while it runs there" checklist and production's pre-deployment one may
          // both gate a promotion to production: each is ticked in its own environment
          <ReleaseChecklist
            key={`${environment.key}:${checklist.key}`}
            releaseId={promotion.releaseId}
            environment={checklist}
            items={promotion.checklist.filter((item) => item.environmentKey === checklist.key)}
            mayTick={checklist.mayTick}
            now={asOf}
          />
        ))}
      </div>
    </Section>
  );
}
