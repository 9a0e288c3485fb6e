import Link from "next/link";

/**
 * For addresses outside the dashboard. Next's built-in page uses inline styles, which the
 * Content-Security-Policy refuses; this one is styled by the stylesheet like every other page.
 */
export default function NotFound() {
  return (
    <main className="mx-auto max-w-md px-4 py-16 text-center">
      <p className="text-sm font-semibold text-brand-600">Not found</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">Nothing lives here</h1>
      <p className="mt-2 text-sm text-slate-600">The link may be wrong.</p>
      <p className="mt-6">
        <Link href="/" className="text-sm font-medium text-brand-600 hover:text-brand-700">
          Go to the overview
        </Link>
      </p>
    </main>
  );
}
