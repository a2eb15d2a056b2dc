"use client";

import { useId, useRef, useState, useTransition, type FormEvent } from "react";
import { decideApprovalAction } from "@/app/releases/[id]/actions";
import { FieldErrors, inputClass } from "@/components/ui/fields";
import { compactPrimaryButtonClass, dangerButtonClass, secondaryButtonClass } from "@/components/ui/buttons";
import { useStepUp } from "@/components/shell/step-up";

// Approve (comment optional) or reject (a reason required) one release for one environment.
// The reason is checked here for a quick answer and again by the server, whose field error is
// shown the same way. Without `allowApprove` (the author, where self-approval is prevented)
// only Reject is offered.

const REASON_REQUIRED = "Say why you reject this release";

export function ReleaseDecisionForm({
  releaseId,
  environmentKey,
  allowApprove,
  initialComment = "",
  autoFocus = false,
  onDone,
  onCancel,
}: {
  releaseId: string;
  environmentKey: string;
  allowApprove: boolean;
  initialComment?: string;
  autoFocus?: boolean;
  onDone: (decision: "approved" | "rejected") => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const { run } = useStepUp();
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const [comment, setComment] = useState(initialComment);
  const [commentErrors, setCommentErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [sending, setSending] = useState<"approved" | "rejected" | null>(null);

  function refuse(messages: string[]) {
    setCommentErrors(messages);
    commentRef.current?.focus();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const decision = submitter?.value === "rejected" ? "rejected" : "approved";
    setFailure(null);
    if (decision === "rejected" && !comment.trim()) return refuse([REASON_REQUIRED]);
    setCommentErrors([]);
    setSending(decision);
    startTransition(async () => {
      const result = await run(() =>
        decideApprovalAction({ releaseId, environmentKey, decision, comment: comment.trim() || undefined }),
      );
      setSending(null);
      if (result.ok) return onDone(decision);
      const fieldMessages = result.fieldErrors?.comment;
      if (fieldMessages?.length) refuse(fieldMessages);
      else setFailure(result.message);
    });
  }

  const errorId = `${id}-comment-error`;
  const hintId = `${id}-comment-hint`;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <div>
        <label htmlFor={`${id}-comment`} className="block text-sm font-medium text-slate-700">
          Comment
        </label>
        <p id={hintId} className="text-xs text-slate-500">
          {allowApprove ? "Optional when you approve; required when you reject." : "Required: say why you reject it."}
        </p>
        <textarea
          ref={commentRef}
          id={`${id}-comment`}
          name="comment"
          rows={3}
          autoFocus={autoFocus}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          aria-invalid={commentErrors.length ? true : undefined}
          aria-describedby={[hintId, commentErrors.length ? errorId : null].filter(Boolean).join(" ")}
          className={inputClass}
        />
        <FieldErrors id={errorId} messages={commentErrors} />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {allowApprove ? (
          <button
            type="submit"
            name="decision"
            value="approved"
            disabled={pending}
            className={compactPrimaryButtonClass}
          >
            {sending === "approved" ? "Approving…" : "Approve"}
          </button>
        ) : null}
        <button type="submit" name="decision" value="rejected" disabled={pending} className={dangerButtonClass}>
          {sending === "rejected" ? "Rejecting…" : "Reject"}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel} disabled={pending} className={secondaryButtonClass}>
            Cancel
          </button>
        ) : null}
      </div>
      {failure ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {failure}
        </p>
      ) : null}
    </form>
  );
}
