import { LinkButton } from "@/components/link-button";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <p className="text-sm font-semibold text-brand-600">Not found</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">Nothing lives here</h1>
      <p className="mt-2 text-sm text-slate-600">It may have been deleted, or the link is wrong.</p>
      <div className="mt-6">
        <LinkButton href="/" variant="secondary">
          Back to the overview
        </LinkButton>
      </div>
    </div>
  );
}
