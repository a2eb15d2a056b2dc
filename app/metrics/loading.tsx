import { LoadingPage } from "@/components/ui/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading the metrics…" rows={5} columns={5} />;
}
