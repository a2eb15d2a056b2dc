import type { SecondFactorStatus } from "@/lib/data/identity/second-factor";
import { formatAbsolute, plural } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";

// A second factor in force: since when, how many recovery codes are left, and whether this
// browser session has passed it (what environments that ask for one look at).

const LOW = 3;

export function AccountSecondFactorStatus({ status, now }: { status: SecondFactorStatus; now: Date }) {
  return (
    <div className="space-y-3 text-sm text-slate-700">
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-3">
        <Fact label="Authenticator app">
          <span className="font-medium text-green-800">Set up</span>
          {status.enrolledAt ? (
            <span className="block text-slate-600">
              since <time dateTime={status.enrolledAt.toISOString()}>{formatAbsolute(status.enrolledAt)}</time>
            </span>
          ) : null}
        </Fact>
        <Fact label="Recovery codes left">
          <span className={status.recoveryCodesLeft <= LOW ? "font-medium text-amber-800" : ""}>
            {plural(status.recoveryCodesLeft, "code")} of 10
          </span>
        </Fact>
        <Fact label="This session">
          {status.verifiedAt ? (
            <>
              verified at <time dateTime={status.verifiedAt.toISOString()}>{formatAbsolute(status.verifiedAt)}</time>
              <span className="block text-slate-600">
                (<RelativeTime date={status.verifiedAt} now={now} />)
              </span>
            </>
          ) : (
            "not verified yet: you will be asked for a code where an environment needs one"
          )}
        </Fact>
      </dl>
      {status.recoveryCodesLeft <= LOW ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200">
          {status.recoveryCodesLeft === 0
            ? "You have no recovery codes left."
            : "You are running out of recovery codes."}{" "}
          To get new ones, ask an admin to reset your second factor, then set up your app again.
        </p>
      ) : null}
      <p className="text-slate-600">
        Lost your phone? Sign in, use a recovery code when asked, and ask an admin to reset your second factor so you
        can set up a new phone.
      </p>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}
