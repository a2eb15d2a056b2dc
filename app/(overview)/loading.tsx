import { LoadingPage } from "@/components/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading the pipeline…" rows={4} columns={3} />;
}
