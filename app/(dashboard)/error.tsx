"use client";

import { Button } from "@/components/button";

// Shown when a dashboard page fails unexpectedly; the server has logged the details.
export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <p className="text-sm font-semibold text-red-600">Something went wrong</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">This page could not be shown</h1>
      <p className="mt-2 text-sm text-slate-600">The error was logged on the server. Try again, or come back in a moment.</p>
      <div className="mt-6">
        <Button variant="secondary" onClick={reset}>
          Try again
        </Button>
      </div>
    </div>
  );
}
