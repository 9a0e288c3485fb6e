"use client";

import { AppLink } from "./app-link";
import { usePathname } from "next/navigation";
import { HomeIcon, KeyIcon, ListIcon, LockIcon, PlugIcon, TokenIcon, UsersIcon } from "./icons";
import { isActive, NAV_ITEMS, type NavItem } from "./nav-items";

const ICONS = { home: HomeIcon, key: KeyIcon, list: ListIcon, plug: PlugIcon, token: TokenIcon, users: UsersIcon, lock: LockIcon } as const;

/** The section links, with the current one marked (aria-current) for sight and screen readers. */
export function AppNav({ isAdmin, onNavigate }: { isAdmin: boolean; onNavigate?: () => void }) {
  // Typed nullable because the app also has Pages Router pages (pages/); never null here.
  const pathname = usePathname() ?? "/";
  const main = NAV_ITEMS.filter((item) => !item.settings);
  const settings = NAV_ITEMS.filter((item) => item.settings);
  return (
    <nav aria-label="Main" className="space-y-6">
      <ul className="space-y-0.5">
        {main.map((item) => (
          <NavLink key={item.href} item={item} active={isActive(pathname, item.href)} locked={false} onNavigate={onNavigate} />
        ))}
      </ul>
      <div>
        <p className="px-3 pb-1.5 text-[11px] font-semibold tracking-wider text-slate-400 uppercase">Settings</p>
        <ul className="space-y-0.5">
          {settings.map((item) => (
            <NavLink
              key={item.href}
              item={item}
              active={isActive(pathname, item.href)}
              locked={Boolean(item.adminOnly && !isAdmin)}
              onNavigate={onNavigate}
            />
          ))}
        </ul>
      </div>
    </nav>
  );
}

function NavLink({ item, active, locked, onNavigate }: { item: NavItem; active: boolean; locked: boolean; onNavigate?: () => void }) {
  const Icon = ICONS[item.icon];
  return (
    <li>
      <AppLink
        href={item.href}
        onClick={onNavigate}
        aria-current={active ? "page" : undefined}
        className={`group flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors ${
          active ? "bg-white/10 text-white" : "text-slate-300 hover:bg-white/5 hover:text-white"
        }`}
      >
        <Icon className={`size-5 shrink-0 ${active ? "text-brand-100" : "text-slate-400 group-hover:text-slate-200"}`} />
        <span className="flex-1">{item.label}</span>
        {locked ? (
          <span title="Admins only">
            <LockIcon className="size-3.5 text-slate-500" />
            <span className="sr-only">(admins only)</span>
          </span>
        ) : null}
      </AppLink>
    </li>
  );
}
