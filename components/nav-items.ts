/** The dashboard's sections, in the order the sidebar and the phone menu show them. */
export interface NavItem {
  href: string;
  label: string;
  icon: "home" | "key" | "list" | "plug" | "token" | "users" | "lock";
  /** Shown under the Settings heading. */
  settings?: boolean;
  adminOnly?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview", icon: "home" },
  { href: "/secrets", label: "Secrets", icon: "key" },
  { href: "/audit", label: "Audit log", icon: "list" },
  { href: "/settings/secret-providers", label: "Secret providers", icon: "plug", settings: true },
  { href: "/settings/tokens", label: "API tokens", icon: "token", settings: true, adminOnly: true },
  { href: "/settings/trust-policies", label: "Trust policies", icon: "lock", settings: true, adminOnly: true },
  { href: "/settings/users", label: "Users", icon: "users", settings: true, adminOnly: true },
  { href: "/account", label: "Your account", icon: "lock", settings: true },
];

export function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
