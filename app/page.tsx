import Link from "next/link";
import { SignOutButton } from "@/components/sign-out-button";
import { requireUser } from "@/lib/auth/page-auth";

export const dynamic = "force-dynamic";

// The signed-in home. The full dashboard (providers, secrets, tokens, audit) builds on this.
export default async function HomePage() {
  const user = await requireUser();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
          <span className="font-semibold tracking-tight text-brand-700">Provenance</span>
          <div className="flex items-center gap-3 text-sm text-slate-600">
            <span>
              {user.label} · <span className="font-medium">{user.role}</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-10">
        <h1 className="text-2xl font-semibold">Welcome to Provenance</h1>
        <p className="mt-2 max-w-2xl text-slate-600">
          You are signed in. Programs fetch secrets through the REST API with an API token; the API is described at{" "}
          <Link className="text-brand-600 underline" href="/api/openapi.json">
            /api/openapi.json
          </Link>
          .
        </p>
      </main>
    </div>
  );
}
