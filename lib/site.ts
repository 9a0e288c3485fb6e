/**
 * What every page says about the site in its <head>, for both routers: app/layout.tsx (the App
 * Router's pages) and pages/_document.tsx with pages/login.tsx (the Pages Router's sign-in page).
 */
export const SITE = {
  name: "Provenance",
  description: "Secrets, stored here or fetched from your cloud secret managers.",
  themeColor: "#0f172a",
} as const;

/** A page's <title>: "Secrets · Provenance" (the App Router's metadata template says the same). */
export const pageTitle = (title: string) => `${title} · ${SITE.name}`;
