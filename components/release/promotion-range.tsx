import type { ReleaseRange } from "@/lib/data/promotion/range";
import Link from "@/components/ui/link";
import { ActorLabel } from "@/components/ui/actor-label";
import { Card } from "@/components/ui/section";
import { formatAbsolute, formatCount, plural, shortSha } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { InlineText } from "./changelog";
import { groupChanges } from "./changelog-groups";
import { RANGE_ANCHOR, rangeSummary } from "./range-summary";

// "What's in this promotion": the releases promoting this one brings into the environment
// (from what runs there, exclusive, to this one), or, for a release older than what runs there,
// the ones it takes away; their changelogs merged by section, each entry with its version.
// The data is one read (lib/data/promotion/range.ts); the list is capped, the counts are not.

export function PromotionRange({
  range,
  version,
  environmentName,
  now,
}: {
  range: ReleaseRange;
  version: string;
  environmentName: string;
  now: Date;
}) {
  const headingId = `${RANGE_ANCHOR}-heading`;
  const summary = rangeSummary(range);
  const { running, releases, total } = range;
  const { groups, omitted } = groupChanges(releases);
  const unlisted = total - releases.length;
  const rollback = range.direction === "rollback";

  let intro: React.ReactNode;
  if (range.direction === "same")
    intro = (
      <p className="text-sm text-slate-600">
        <span className="font-mono">{version}</span> already runs in {environmentName}: promoting it changes nothing
        there.
      </p>
    );
  else if (range.direction === "first")
    intro = (
      <p className="text-sm text-slate-600">
        Nothing runs in {environmentName} yet: promoting <span className="font-mono">{version}</span> brings{" "}
        {total === 1 ? "this release" : `every release up to it (${summary})`}.
      </p>
    );
  else if (rollback)
    intro = (
      <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
        {environmentName} runs <span className="font-mono">{running?.version}</span>, newer than{" "}
        <span className="font-mono">{version}</span>: promoting it is a downgrade that takes away{" "}
        {plural(total, "release")} ({plural(range.changes, "change")}).
      </p>
    );
  else
    intro = (
      <p className="text-sm text-slate-600">
        {environmentName} runs <span className="font-mono">{running?.version}</span>. Promoting{" "}
        <span className="font-mono">{version}</span> brings{" "}
        {total === 1 ? "this release" : `the ${formatCount(total)} releases below`} there.
      </p>
    );

  return (
    <Card className="px-4 py-4 sm:px-5">
      <section id={RANGE_ANCHOR} aria-labelledby={headingId} className="scroll-mt-20 space-y-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 id={headingId} className="font-semibold text-slate-900">
            {rollback ? "What this promotion takes away" : "What's in this promotion"}
            {summary ? <span className="ml-2 text-sm font-normal text-slate-600">{summary}</span> : null}
          </h3>
          {range.compareUrl ? (
            <a href={range.compareUrl} className="text-sm font-medium text-brand-700 hover:underline" rel="noreferrer">
              Compare{" "}
              <span className="font-mono">
                {rollback ? `${version}…${running?.version}` : `${running?.version}…${version}`}
              </span>{" "}
              in the repository
            </a>
          ) : null}
        </div>
        {intro}
        {releases.length ? (
          <div className="relative overflow-x-auto">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">
                {rollback ? "Releases the promotion takes away" : "Releases in this promotion"}, newest first
              </caption>
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Version
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Title
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Created by
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Created
                  </th>
                  <th scope="col" className="py-2 font-medium">
                    Links
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {releases.map((r) => (
                  <tr key={r.id}>
                    <th scope="row" className="py-2 pr-4 align-top font-normal whitespace-nowrap">
                      <Link href={`/releases/${r.id}`} className="font-mono font-medium text-brand-700 hover:underline">
                        {r.version}
                      </Link>
                      <span className="ml-1 font-mono text-xs text-slate-500" title={r.commitSha}>
                        {shortSha(r.commitSha)}
                      </span>
                    </th>
                    <td className="py-2 pr-4 align-top text-slate-800">{r.title}</td>
                    <td className="py-2 pr-4 align-top whitespace-nowrap text-slate-700">
                      <ActorLabel actor={r.createdBy} />
                    </td>
                    <td
                      className="py-2 pr-4 align-top whitespace-nowrap text-slate-600"
                      title={formatAbsolute(r.createdAt)}
                    >
                      <RelativeTime date={r.createdAt} now={now} />
                    </td>
                    <td className="py-2 align-top">
                      {r.links.length ? (
                        <ul className="flex flex-wrap gap-x-3">
                          {r.links.map((link) => (
                            <li key={link.url}>
                              <a href={link.url} className="text-brand-700 hover:underline" rel="noreferrer">
                                {link.label}
                              </a>
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="text-slate-400">none</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {unlisted > 0 ? (
              <p className="mt-2 text-sm text-slate-600">
                and {formatCount(unlisted)} more older {unlisted === 1 ? "release" : "releases"}, not listed here but
                counted above.
              </p>
            ) : null}
          </div>
        ) : null}
        {releases.length ? (
          <div className="space-y-3 border-t border-slate-100 pt-3">
            <h4 className="text-sm font-semibold text-slate-900">
              Changes by section{unlisted > 0 ? ` (the ${formatCount(releases.length)} releases listed)` : ""}
            </h4>
            {groups.length ? (
              groups.map((group) => (
                <div key={group.heading}>
                  <h5 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{group.heading}</h5>
                  <ul className="mt-1 space-y-1 pl-5 text-sm leading-6 break-words text-slate-800 list-disc">
                    {group.entries.map((entry, i) => (
                      <li key={i}>
                        <InlineText parts={entry.content} />{" "}
                        <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs whitespace-nowrap text-slate-600">
                          <span className="sr-only">from </span>
                          {entry.version}
                        </span>
                      </li>
                    ))}
                  </ul>
                </div>
              ))
            ) : (
              <p className="text-sm text-slate-500">None of these releases lists its changes in its changelog.</p>
            )}
            {omitted > 0 ? (
              <p className="text-sm text-slate-600">
                and {plural(omitted, "more entry", "more entries")}: each release&apos;s page has its whole changelog.
              </p>
            ) : null}
          </div>
        ) : null}
      </section>
    </Card>
  );
}
