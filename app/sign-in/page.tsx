import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/shell/sign-in-form";
import { Wordmark } from "@/components/shell/wordmark";
import { signInMethods } from "@/lib/auth";
import { canonicalRedirect } from "@/lib/canonical-host";
import { publicUrl } from "@/lib/public-url";
import { getActor } from "@/lib/session";
import { safeReturnPath } from "@/lib/domain/return-path";
import { signInWithProviderAction } from "./actions";

export const metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const NOTICES: Record<string, string> = {
  Deactivated: "This account has been deactivated. Ask an admin to reactivate it.",
  Unverified: "Your identity provider did not confirm this email address, so it cannot be linked to an account.",
  NoEmail: "Your identity provider did not share an email address.",
  Userinfo: "Your identity provider did not answer when asked who you are. Try again in a moment.",
};

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  // sign-in cookies must be set under the address the identity provider returns to
  const query = new URLSearchParams(
    Object.entries(params).flatMap(([k, v]) =>
      Array.isArray(v) ? v.map((x) => [k, x]) : v === undefined ? [] : [[k, v]],
    ),
  ).toString();
  const elsewhere = canonicalRedirect(
    { method: "GET", pathname: "/sign-in", search: query ? `?${query}` : "", headers: await headers() },
    publicUrl(),
  );
  if (elsewhere) redirect(elsewhere.toString());
  const callbackUrl = safeReturnPath(Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl);
  if (await getActor()) redirect(callbackUrl);
  const error = Array.isArray(params.error) ? params.error[0] : params.error;
  const methods = signInMethods();
  return (
    <div className="mx-auto mt-8 max-w-sm">
      <div className="mb-6 flex justify-center">
        <Wordmark />
      </div>
      <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h1 className="mb-1 text-xl font-semibold text-slate-900">Sign in</h1>
        <p className="mb-5 text-sm text-slate-600">Releases, approvals and checklists for your team.</p>
        <SignInForm
          callbackUrl={callbackUrl}
          notice={error ? (NOTICES[error] ?? "Sign-in failed. Try again.") : null}
        />
        {methods.length ? (
          <div className="mt-6 border-t border-slate-200 pt-5">
            <p className="mb-3 text-center text-xs uppercase tracking-wide text-slate-500">or</p>
            <div className="space-y-2">
              {methods.map((m) => (
                <form key={m.id} action={signInWithProviderAction}>
                  <input type="hidden" name="provider" value={m.id} />
                  <input type="hidden" name="callbackUrl" value={callbackUrl} />
                  <button
                    type="submit"
                    className="w-full rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-slate-900"
                  >
                    Continue with {m.name}
                  </button>
                </form>
              ))}
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}
