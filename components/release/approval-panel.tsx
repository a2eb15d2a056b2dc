"use client";

import { useEffect, useId, useRef, useState, useTransition } from "react";
import { withdrawApprovalAction } from "@/app/releases/[id]/actions";
import type { DecisionView, PromotionView } from "@/lib/data/promotion/view";
import { plural } from "@/components/ui/format";
import { ReleaseDecisionForm } from "./decision-form";
import { ReleaseDecisions } from "./decisions";
import { ReleaseMyDecision } from "./my-decision";
import { Card } from "@/components/ui/section";
import { useStepUp } from "@/components/shell/step-up";
import { RangeCount } from "./range-summary";

// The approvals of a release's next promotion: every decision, and what the viewer may do about
// theirs: decide, change or withdraw it until the promotion starts. The server decides again.

type Outcome = { kind: "status" | "alert"; text: string } | null;

export function ApprovalPanel({
  promotion,
  authorName,
  contents,
}: {
  promotion: Pick<
    PromotionView,
    "releaseId" | "version" | "environment" | "decisions" | "decisionsLocked" | "you" | "asOf"
  >;
  /** the release author's display name, to tell their own approval apart */
  authorName: string | null;
  /** what the decision covers ("3 releases, 14 changes"), shown beside the decision buttons */
  contents?: { summary: string | null; rollback: boolean };
}) {
  const { releaseId, version, environment, decisions, decisionsLocked, you } = promotion;
  const headingId = useId();
  const { run } = useStepUp();
  const [editing, setEditing] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [withdrawing, startWithdraw] = useTransition();
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);
  const selfPrevented = you.isAuthor && environment.preventSelfApproval;
  const mine = decisions.find((d) => d.mine) ?? null;

  // the form the focus was in goes away after a decision: take the focus to what happened
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const isAuthor = (d: DecisionView) => (d.mine ? you.isAuthor : authorName !== null && d.userName === authorName);
  const target = { releaseId, environmentKey: environment.key };

  function decided(decision: "approved" | "rejected") {
    setEditing(false);
    setOutcome({ kind: "status", text: `You ${decision} ${version} for ${environment.name}.` });
  }

  function withdraw() {
    setOutcome(null);
    startWithdraw(async () => {
      const result = await run(() => withdrawApprovalAction(target));
      setOutcome(
        !result.ok
          ? { kind: "alert", text: result.message }
          : result.data.withdrawn
            ? {
                kind: "status",
                text: `Your ${result.data.withdrawn === "approved" ? "approval" : "rejection"} was withdrawn.`,
              }
            : { kind: "status", text: "You have no decision left to withdraw." },
      );
    });
  }

  let controls: React.ReactNode;
  if (decisionsLocked) controls = <Note>Decisions are final: the promotion to {environment.name} has started.</Note>;
  else if (!you.mayApprove) controls = <Note>You may not approve or reject releases in {environment.name}.</Note>;
  else if (you.decision && !editing)
    controls = (
      <ReleaseMyDecision
        decision={you.decision}
        withdrawing={withdrawing}
        changeRef={changeRef}
        onChange={() => {
          setOutcome(null);
          setEditing(true);
        }}
        onWithdraw={withdraw}
      />
    );
  else
    controls = (
      <div className="space-y-2">
        {selfPrevented ? (
          <Note>
            You created this release, and {environment.name} does not accept its author&apos;s own approval. You can
            still reject it.
          </Note>
        ) : null}
        <ReleaseDecisionForm
          releaseId={releaseId}
          environmentKey={environment.key}
          allowApprove={!selfPrevented}
          initialComment={editing ? (mine?.comment ?? "") : ""}
          onDone={decided}
          autoFocus={editing}
          onCancel={
            editing
              ? () => {
                  setEditing(false);
                  // back to the button that opened the form, once it is there again
                  requestAnimationFrame(() => changeRef.current?.focus());
                }
              : undefined
          }
        />
      </div>
    );

  return (
    <Card className="px-4 py-4 sm:px-5">
      <section aria-labelledby={headingId}>
        <h3 id={headingId} className="font-semibold text-slate-900">
          Approvals
        </h3>
        <p className="mb-3 text-sm text-slate-600">
          {environment.requiredApprovals > 0
            ? `${environment.name} needs ${plural(environment.requiredApprovals, "approval")}${
                environment.preventSelfApproval ? ", not counting the author's own" : ""
              }; any rejection blocks it.`
            : `${environment.name} needs no approval, but a rejection blocks it.`}
        </p>
        <ReleaseDecisions
          decisions={decisions}
          environmentName={environment.name}
          preventSelfApproval={environment.preventSelfApproval}
          isAuthor={isAuthor}
          now={promotion.asOf}
        />
        <div className="mt-4 space-y-2 border-t border-slate-100 pt-4">
          {contents?.summary && !decisionsLocked ? (
            <p>
              <RangeCount summary={contents.summary} rollback={contents.rollback} />
            </p>
          ) : null}
          {controls}
        </div>
        {outcome ? (
          <p
            ref={outcomeRef}
            tabIndex={-1}
            role={outcome.kind}
            className={`mt-3 rounded-md px-3 py-2 text-sm ring-1 ${
              outcome.kind === "status"
                ? "bg-green-50 text-green-800 ring-green-200"
                : "bg-red-50 text-red-800 ring-red-200"
            }`}
          >
            {outcome.text}
          </p>
        ) : null}
      </section>
    </Card>
  );
}

function Note({ children }: { children: React.ReactNode }) {
  return <p className="text-sm text-slate-600">{children}</p>;
}
