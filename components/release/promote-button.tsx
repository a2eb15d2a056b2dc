"use client";

import Link from "@/components/ui/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { promoteReleaseAction } from "@/app/releases/[id]/actions";
import type { PromoteResult } from "@/lib/data/promotion/promote";
import type { PromotionView } from "@/lib/data/promotion/view";
import { readinessLabel } from "@/lib/domain/gates";
import { ReleaseFreezeDialog } from "./freeze-dialog";
import { primaryButtonClass } from "@/components/ui/buttons";
import { RangeCount } from "./range-summary";
import { useStepUp } from "@/components/shell/step-up";

// The promote button of a release's next environment. Enabled only when every gate passes and
// the viewer may deploy there; otherwise it stays in place and says why. The server evaluates
// the gates again and may still refuse (409: a gate changed, someone promoted first; 403).

type Props = Pick<
  PromotionView,
  | "releaseId"
  | "version"
  | "environment"
  | "gates"
  | "passed"
  | "freezeOnly"
  | "busy"
  | "inProgress"
  | "you"
  | "queuePolicy"
>;

export function PromoteButton(props: Props & { contents?: { summary: string | null; rollback: boolean } }) {
  const { releaseId, version, environment, gates, passed, freezeOnly, busy, inProgress, you, queuePolicy, contents } =
    props;
  const reasonId = useId();
  const router = useRouter();
  const { run } = useStepUp();
  const [pending, startTransition] = useTransition();
  // the promotion this page started: under way until a fresh read of the page shows it, and
  // once the release has moved on to the next stage, said to have landed (deploys can be fast)
  const [started, setStarted] = useState<{
    basis: Props["gates"];
    key: string;
    name: string;
    /** it waits behind another deployment there (the environment's queue) */
    queuedAs: string | null;
  } | null>(null);
  const [failure, setFailure] = useState<{ key: string; message: string } | null>(null);

  const statusRef = useRef<HTMLParagraphElement>(null);
  // the button pressed goes away while the deploy runs: the focus goes to what happened
  useEffect(() => {
    if (started) statusRef.current?.focus();
  }, [started]);

  function promoted(result: PromoteResult) {
    setFailure(null);
    setStarted({
      basis: gates,
      key: environment.key,
      name: environment.name,
      queuedAs: result.queued ? result.deploymentId : null,
    });
    router.refresh();
  }

  const underWay = Boolean(inProgress) || started?.basis === gates;
  const landed = started && started.key !== environment.key ? started : null;
  // waiting behind another release's deployment: say so, and where to watch that queue
  const queuedId =
    inProgress?.status === "queued" && busy
      ? inProgress.deploymentId
      : started?.key === environment.key
        ? started.queuedAs
        : null;
  // one live region, present before its text changes, so every change is announced
  const status = (
    <p
      ref={statusRef}
      role="status"
      tabIndex={-1}
      className={
        underWay
          ? "rounded-md bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900 ring-1 ring-amber-200"
          : landed
            ? "text-sm text-green-800"
            : "sr-only"
      }
    >
      {underWay && queuedId ? (
        <>
          Queued behind the deployment in progress.{" "}
          <Link href={`/deployments/${queuedId}`} className="underline">
            Follow {version} to {environment.name}
          </Link>
        </>
      ) : underWay ? (
        <>
          Deploying {version} to {environment.name}…
          {inProgress ? (
            <>
              {" "}
              <Link href={`/deployments/${inProgress.deploymentId}`} className="underline">
                Follow the deployment
              </Link>
            </>
          ) : null}
        </>
      ) : landed ? (
        `Deployed ${version} to ${landed.name}.`
      ) : (
        ""
      )}
    </p>
  );
  const freeze = gates.find((g) => g.key === "freeze" && !g.passed);
  let reason: string | null = null;
  if (!you.mayPromote) reason = `You may not deploy to ${environment.name}.`;
  else if (busy && queuePolicy === "refuse")
    reason = `${busy.version} is being deployed to ${environment.name} (${busy.status.replace("_", " ")}); wait for it to finish.`;
  else if (!passed)
    reason = freezeOnly
      ? `Only the freeze holds it back. ${freeze?.detail ?? "A freeze window is active"}.`
      : `${readinessLabel(gates)}.`;
  const enabled = reason === null && !pending;

  function promote() {
    if (!enabled) return;
    setFailure(null);
    startTransition(async () => {
      const result = await run(() => promoteReleaseAction({ releaseId, environmentKey: environment.key }));
      if (result.ok) promoted(result.data);
      else setFailure({ key: environment.key, message: result.message });
    });
  }

  // while a deploy is under way only the status shows; it keeps its place in the tree throughout
  return (
    <div className="space-y-2">
      {underWay ? null : (
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            onClick={promote}
            aria-disabled={!enabled}
            aria-describedby={reason ? reasonId : undefined}
            className={`${primaryButtonClass} aria-disabled:cursor-not-allowed aria-disabled:bg-slate-400 aria-disabled:hover:bg-slate-400`}
          >
            {pending ? `Promoting to ${environment.name}…` : `Promote to ${environment.name}`}
          </button>
          {freezeOnly && you.mayPromote && you.mayOverrideFreeze && !(busy && queuePolicy === "refuse") ? (
            <ReleaseFreezeDialog
              releaseId={releaseId}
              version={version}
              environment={environment}
              freezeDetail={freeze?.detail ?? "A freeze window is active."}
              onPromoted={promoted}
            />
          ) : null}
          {contents ? <RangeCount summary={contents.summary} rollback={contents.rollback} /> : null}
        </div>
      )}
      {reason && !underWay ? (
        <p id={reasonId} className="text-sm text-slate-600">
          {reason}
        </p>
      ) : null}
      {failure?.key === environment.key && !underWay ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {failure.message}
        </p>
      ) : null}
      {status}
    </div>
  );
}
