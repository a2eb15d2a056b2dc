import Link from "@/components/ui/link";

export default function DeploymentNotFound() {
  return (
    <div className="mx-auto max-w-xl rounded-lg bg-white px-6 py-10 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-1 text-xl font-semibold text-slate-900">Deployment not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        No deployment you may see has this id. The link may be incomplete, or the deployment belongs to an environment
        you have no access to.
      </p>
      <Link
        href="/"
        className="mt-6 inline-block rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
      >
        Back to the pipeline
      </Link>
    </div>
  );
}
