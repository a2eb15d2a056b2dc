import { signOutAction } from "@/app/sign-in/actions";
import { EmptyState } from "@/components/ui/empty-state";

/**
 * What someone signed in sees while nothing is theirs to see: a first single sign-on creates
 * the account with no roles, and only an admin grants one.
 */
export function NoAccess({ who }: { who: string }) {
  return (
    <div className="mx-auto mt-8 max-w-xl">
      <h1 className="sr-only">No access yet</h1>
      <EmptyState icon="lock" title="You have no access yet">
        <p>
          You are signed in as <strong className="font-medium text-slate-900">{who}</strong>, but you have no role yet.
          An admin must grant you one on the Users page; then reload this page.
        </p>
        <form action={signOutAction} className="mt-4">
          <button
            type="submit"
            className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-slate-900"
          >
            Sign out
          </button>
        </form>
      </EmptyState>
    </div>
  );
}
