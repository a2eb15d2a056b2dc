import { LoadingPage } from "@/components/ui/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading your security settings…" rows={3} columns={2} />;
}
