import Link from "@/components/ui/link";

// Here rather than in [key]/: the flag is read in [key]/layout.tsx, whose notFound() the
// boundary of the segment above catches.
export default function FlagNotFound() {
  return (
    <div className="mx-auto max-w-xl rounded-lg bg-white px-6 py-10 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-1 text-xl font-semibold text-slate-900">Flag not found</h1>
      <p className="mt-2 text-sm text-slate-600">No flag has this key. Every flag is on the flag grid.</p>
      <Link
        href="/flags"
        className="mt-6 inline-block rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
      >
        See all flags
      </Link>
    </div>
  );
}
