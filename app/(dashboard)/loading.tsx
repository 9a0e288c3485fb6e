// Shown while a dashboard page renders on the server: the page's outline, quietly pulsing.
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading…</span>
      <div className="h-7 w-48 rounded-md bg-slate-200" />
      <div className="mt-3 h-4 w-full max-w-lg rounded bg-slate-200/70" />
      <div className="mt-8 space-y-3 rounded-xl border border-slate-200 bg-white p-5">
        {[0, 1, 2, 3].map((row) => (
          <div key={row} className="h-10 rounded-md bg-slate-100" />
        ))}
      </div>
    </div>
  );
}
