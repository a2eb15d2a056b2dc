import Link from "@/components/ui/link";
import { formatMinutes, formatRelative } from "@/components/ui/format";

// Where the next step happens in an environment that asks for a second factor, the release
// page says so before anyone presses a button: whether this session's code still counts there,
// or that a code will be asked for. The server decides again at every action.

export interface GuardedEnvironment {
  name: string;
  maxAgeMinutes: number;
}

export function ReleaseSecondFactorNote({
  environments,
  verifiedAt,
  now,
}: {
  environments: GuardedEnvironment[];
  /** when this session last passed a second factor */
  verifiedAt: Date | null;
  now: Date;
}) {
  if (!environments.length) return null;
  return (
    <div
      role="note"
      aria-label="Second factor"
      className="space-y-1 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-950 ring-1 ring-sky-200"
    >
      {environments.map((environment) => {
        const valid = verifiedAt !== null && now.getTime() - verifiedAt.getTime() <= environment.maxAgeMinutes * 60_000;
        return (
          <p key={environment.name}>
            <span className="font-medium">{environment.name} asks for a second factor</span>
            {valid && verifiedAt ? (
              <>
                {" "}
                — verified <time dateTime={verifiedAt.toISOString()}>{formatRelative(verifiedAt, now)}</time>, valid for{" "}
                {formatMinutes(environment.maxAgeMinutes)} after that.
              </>
            ) : (
              <>
                {" "}
                — you will be asked for a code from your authenticator app (
                <Link href="/account" className="underline">
                  Security page
                </Link>
                ).
              </>
            )}
          </p>
        );
      })}
    </div>
  );
}
