/**
 * The Pages Router pages that ship no framework (`unstable_runtimeJS: false`), and the scripts of
 * ours, in public/, each loads in its place. The page renders its tags from here,
 * scripts/page-weight.ts counts them (what is measured is what is served), and AppLink leaves a
 * link to one of these pages to the browser: the App Router cannot render them.
 */
export const PAGE_SCRIPTS: Record<string, readonly string[]> = {
  "/login": ["/sign-in.js"],
  "/secrets": ["/dashboard.js"],
  "/settings/secret-providers": ["/dashboard.js"],
};

/** Whether a link's target is one of those pages (its path, whatever its query). */
export function isDocumentPage(href: string): boolean {
  return Object.hasOwn(PAGE_SCRIPTS, href.split(/[?#]/, 1)[0]!);
}
