import { LoadingPage } from "@/components/ui/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading the access matrix…" rows={5} columns={4} />;
}
