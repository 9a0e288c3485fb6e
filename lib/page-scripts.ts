/**
 * Scripts of ours, in public/, that a Pages Router page loads in place of Next's runtime (the page
 * turns that off with `unstable_runtimeJS: false`). The page renders its tags from here and
 * scripts/page-weight.ts counts them, so what is measured is what is served.
 */
export const PAGE_SCRIPTS: Record<string, readonly string[]> = { "/login": ["/sign-in.js"] };
