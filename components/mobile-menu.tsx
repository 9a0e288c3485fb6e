"use client";

import { usePathname } from "next/navigation";
import { useEffect, useId, useState, type ReactNode } from "react";
import { AppNav } from "./app-nav";
import { CloseIcon, MenuIcon } from "./icons";
import { useHydrated } from "./use-hydrated";

/**
 * On narrow screens the sidebar folds into a menu under the top bar. On the pages that ship no
 * React (lib/page-scripts.ts) this renders closed and public/dashboard.js does the same opening
 * and closing (the button's aria-expanded, the panel's hidden, Escape).
 */
export function MobileMenu({ isAdmin, footer }: { isAdmin: boolean; footer: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const panelId = useId();
  // Until its handler is attached (public/dashboard.js enables it on the pages without React).
  const hydrated = useHydrated();

  // A navigation (including back/forward) closes the menu.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        disabled={!hydrated}
        onClick={() => setOpen((v) => !v)}
        className="group inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-200 hover:bg-white/10 focus-visible:outline-2 focus-visible:outline-white"
      >
        {/* Both, switched by aria-expanded: public/dashboard.js opens this menu on pages without React. */}
        <MenuIcon className="size-5 group-aria-expanded:hidden" />
        <CloseIcon className="hidden size-5 group-aria-expanded:block" />
        Menu
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute inset-x-0 top-full z-40 border-b border-slate-800 bg-slate-900 px-3 pt-3 pb-4 shadow-xl"
      >
        <AppNav isAdmin={isAdmin} onNavigate={() => setOpen(false)} />
        <div className="mt-4 border-t border-white/10 pt-4">{footer}</div>
      </div>
    </>
  );
}
