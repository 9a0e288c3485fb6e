import { AppLink } from "./app-link";
import type { ReactNode } from "react";
import { AppNav } from "./app-nav";
import { LogoMark } from "./icons";
import { MobileMenu } from "./mobile-menu";
import { RoleBadge } from "./role-badge";
import { SignOutButton } from "./sign-out-button";

/**
 * The signed-in frame: a sidebar on laptops, a top bar with a menu on phones, and the header
 * with who is signed in and the sign-out button.
 */
export function AppShell({ user, children }: { user: { label: string; role: string }; children: ReactNode }) {
  const isAdmin = user.role === "admin";
  const who = (
    <div className="flex min-w-0 items-center gap-2">
      <span className="truncate text-sm text-slate-600" title={user.label}>
        {user.label}
      </span>
      <RoleBadge role={user.role} />
    </div>
  );
  return (
    <div className="min-h-screen lg:flex">
      <a href="#main" className="sr-only z-50 rounded bg-white px-3 py-2 text-sm focus:not-sr-only focus:fixed focus:top-2 focus:left-2">
        Skip to content
      </a>

      {/* The dark column runs the page's full height; the sidebar inside it stays in view. */}
      <div className="hidden w-60 shrink-0 bg-slate-900 lg:block">
        <aside className="sticky top-0 flex h-screen flex-col px-3 py-5">
          <Brand />
          <div className="mt-8 flex-1 overflow-y-auto">
            <AppNav isAdmin={isAdmin} />
          </div>
          <p className="px-3 text-xs text-slate-400">Self-hosted secrets</p>
        </aside>
      </div>

      <div className="min-w-0 flex-1">
        <header className="sticky top-0 z-30 flex h-14 items-center justify-between bg-slate-900 px-4 lg:hidden">
          <Brand />
          <MobileMenu
            isAdmin={isAdmin}
            footer={
              <div className="flex items-center justify-between gap-3 px-3">
                <span className="truncate text-sm text-slate-300">
                  {user.label} · {user.role}
                </span>
                <SignOutButton />
              </div>
            }
          />
        </header>

        <header className="sticky top-0 z-20 hidden h-14 items-center justify-end gap-4 border-b border-slate-200 bg-white/90 px-8 backdrop-blur lg:flex">
          {who}
          <SignOutButton />
        </header>

        <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}

function Brand() {
  return (
    <AppLink href="/" className="flex items-center gap-2 rounded-md px-2 text-white focus-visible:outline-2 focus-visible:outline-white">
      <LogoMark className="size-7" />
      <span className="text-base font-semibold tracking-tight">Provenance</span>
    </AppLink>
  );
}
