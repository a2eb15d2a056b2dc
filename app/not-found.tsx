import Link from "@/components/ui/link";

export const metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl rounded-lg bg-white px-6 py-10 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-1 text-xl font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        There is nothing at this address. It may have moved, or the link may be mistyped.
      </p>
      <div className="mt-6 flex justify-center gap-3">
        <Link href="/" className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700">
          Go to the pipeline
        </Link>
        <Link
          href="/releases"
          className="rounded-md px-4 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Browse releases
        </Link>
      </div>
    </div>
  );
}
