import { LoadingPage } from "@/components/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading environment settings…" rows={4} columns={2} />;
}
