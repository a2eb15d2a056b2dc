import { Fragment } from "react";
import type { TokenStatus, TokenSummary } from "@/lib/data/tokens/tokens";
import type { StatusMeta } from "@/lib/domain/status";
import { AbsoluteTime, RelativeTime } from "@/components/ui/relative-time";
import { Badge } from "@/components/ui/status-badge";
import { PermissionChip } from "./permissions";
import { TokensRevokeButton } from "./revoke-button";

// Every API token, newest first: what it may do and where, whether it still works, and who
// made it. Never the token itself; the prefix is there to recognise one in a CI setting. A token
// never does more than its owner can do now: one whose owner lost what it grants says so, with
// each grant no longer backed.

const STATUS: Record<TokenStatus, StatusMeta> = {
  active: { label: "Active", tone: "success", icon: "check", description: "Accepted by the API" },
  lost_power: {
    label: "Lost power",
    tone: "danger",
    icon: "cross",
    description: "Its owner no longer holds what it grants: refused",
  },
  expired: { label: "Expired", tone: "neutral", icon: "clock", description: "Past its expiry date: refused" },
  revoked: { label: "Revoked", tone: "danger", icon: "slash", description: "Revoked: refused" },
};

/** the table's columns, for the row under a token that spans them all */
const COLUMNS = 8;

export function TokensTable({ tokens, now }: { tokens: TokenSummary[]; now: Date }) {
  return (
    <div
      role="region"
      aria-label="API tokens table"
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API tokens, newest first, with their scope and status</caption>
        <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-3">
              Token
            </th>
            <th scope="col" className="px-4 py-3">
              Permissions
            </th>
            <th scope="col" className="px-4 py-3">
              Environments
            </th>
            <th scope="col" className="px-4 py-3">
              Expires
            </th>
            <th scope="col" className="px-4 py-3">
              Last used
            </th>
            <th scope="col" className="px-4 py-3">
              Created
            </th>
            <th scope="col" className="px-4 py-3">
              Status
            </th>
            <th scope="col" className="px-4 py-3">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {tokens.map((token) => (
            <Fragment key={token.id}>
              <tr className={token.status === "active" ? "" : "bg-slate-50/60"}>
                <th scope="row" className="px-4 py-3 align-top font-normal">
                  <span className="whitespace-nowrap font-semibold text-slate-900">{token.name}</span>
                  <span className="block font-mono text-xs text-slate-500" title="The token's first characters">
                    {token.prefix}…
                  </span>
                </th>
                <td className="px-4 py-3 align-top">
                  <ul className="flex max-w-xs flex-wrap gap-1" aria-label={`Permissions of ${token.name}`}>
                    {token.permissions.map((p) => (
                      <li key={p}>
                        <PermissionChip name={p} />
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="min-w-[9rem] px-4 py-3 align-top text-slate-700">
                  {token.environments.length ? token.environments.map((e) => e.name).join(", ") : "All environments"}
                </td>
                <td className="whitespace-nowrap px-4 py-3 align-top text-slate-600">
                  {token.expiresAt ? <AbsoluteTime date={token.expiresAt} /> : "Never"}
                </td>
                <td className="whitespace-nowrap px-4 py-3 align-top text-slate-600">
                  {token.lastUsedAt ? <RelativeTime date={token.lastUsedAt} now={now} /> : "Never"}
                </td>
                <td className="whitespace-nowrap px-4 py-3 align-top text-slate-600">
                  <RelativeTime date={token.createdAt} now={now} />
                  <span className="block text-xs text-slate-500">
                    {token.createdBy
                      ? `by ${token.createdBy.name ?? token.createdBy.email}`
                      : "by a token or the system"}
                  </span>
                </td>
                <td className="px-4 py-3 align-top">
                  <Badge meta={STATUS[token.status]} />
                  {token.revokedAt ? (
                    <span className="mt-1 block whitespace-nowrap text-xs text-slate-500">
                      <RelativeTime date={token.revokedAt} now={now} />
                    </span>
                  ) : null}
                </td>
                <td className="px-4 py-3 text-right align-top">
                  {token.status === "revoked" ? null : (
                    <TokensRevokeButton token={{ id: token.id, name: token.name }} />
                  )}
                </td>
              </tr>
              <PowerReasons token={token} />
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Why a working token lost power, wholly or in part, in a row of its own under the token's:
 * nothing for a token whose owner backs all of it, nor for a revoked or expired one.
 */
function PowerReasons({ token }: { token: TokenSummary }) {
  if (!token.power?.reasons.length || (token.status !== "active" && token.status !== "lost_power")) return null;
  const partial = token.power.state === "partial";
  return (
    <tr className={`border-t-0! ${token.status === "active" ? "" : "bg-slate-50/60"}`}>
      <td colSpan={COLUMNS} className="px-4 pb-3 pt-0">
        <div
          className={`rounded-md px-3 py-2 text-xs ring-1 ring-inset ${partial ? "bg-amber-50 text-amber-900 ring-amber-600/30" : "bg-red-50 text-red-800 ring-red-600/25"}`}
        >
          <p className="font-medium">
            {partial
              ? `${token.name} works only for what its owner still holds. No longer backed:`
              : `${token.name} does nothing now: a token never does more than its owner can do now.`}
          </p>
          <ul
            className="mt-1 list-disc space-y-0.5 pl-4"
            aria-label={partial ? `What ${token.name} no longer does` : `Why ${token.name} lost power`}
          >
            {token.power.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      </td>
    </tr>
  );
}
