import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { kib, measurePageWeights } from "../../scripts/page-weight";

/**
 * First-load JavaScript per page of the production build (gzipped; scripts/page-weight.ts says
 * how it is read from the manifests). Runs after `npm run build` in the integration phase of
 * `npm test`. Budgets: /login 120 KiB, every other page 160 KiB.
 *
 * Where a budget is not met yet, the page is listed in OVER_BUDGET with the ceiling it is held
 * to (what it weighs now, rounded up) and why, so it cannot grow unnoticed and the list shows
 * what is left to do. A page that gets under its budget must leave the list (the test says so);
 * a new page gets the plain budget.
 */
const BUDGET_KIB = { "/login": 120, default: 160 } as const;

/**
 * Pages over budget, each held to what it weighs now (rounded up to the KiB). Measured on the
 * build of this commit; `npx tsx scripts/page-weight.ts` prints the table.
 *
 * Forms load their zod schema on first check (components/lazy-resolver.ts) and dialogs when the
 * browser is idle (components/confirm-dialog.tsx), so neither is in a first load; links are
 * components/app-link.tsx, not next/link. What is left is react-hook-form (12.2 KiB): with it and
 * the dashboard's layout a page with a form starts at about 154 KiB. Where a page mostly shows
 * something and its form is for changing it (a secret, a connection), the form is loaded when Edit
 * is clicked (components/edit-in-place-panel.tsx), so react-hook-form is not in that page's first load.
 * /login ships no framework at all (pages/login.tsx). No page is over budget today.
 */
const OVER_BUDGET: Record<string, { ceilingKib: number; why: string }> = {};

const NEXT_DIR = path.resolve(__dirname, "../../.next");

describe("page weight (first-load JavaScript, gzipped)", () => {
  it("every page is within its budget, or within the ceiling its known excess is held to", () => {
    if (!existsSync(path.join(NEXT_DIR, "build-manifest.json"))) throw new Error("build the app first (npm run build)");
    const { runtime, pages } = measurePageWeights(NEXT_DIR);
    console.log(
      `page weight: runtime ${kib(runtime.bytes)} KiB on every page\n${pages.map((p) => `  ${p.route.padEnd(34)} ${kib(p.total).padStart(6)} KiB (own ${kib(p.own)})`).join("\n")}`,
    );
    expect(pages.map((p) => p.route)).toContain("/login");
    expect(pages.map((p) => p.route)).toContain("/secrets");
    // /login is a Pages Router page that ships only our own script: found, and that script counted.
    const login = pages.find((p) => p.route === "/login")!;
    expect(login.files).toEqual(expect.arrayContaining(["/sign-in.js"]));
    expect(login.own).toBeGreaterThan(0);

    const problems: string[] = [];
    for (const page of pages) {
      const budget = page.route === "/login" ? BUDGET_KIB["/login"] : BUDGET_KIB.default;
      const known = OVER_BUDGET[page.route];
      const weight = page.total / 1024;
      if (known) {
        if (weight <= budget)
          problems.push(`${page.route} is ${kib(page.total)} KiB, within its ${budget} KiB budget now: take it off OVER_BUDGET`);
        else if (weight > known.ceilingKib)
          problems.push(`${page.route} is ${kib(page.total)} KiB, over its ceiling of ${known.ceilingKib} KiB (budget ${budget} KiB)`);
      } else if (weight > budget) {
        problems.push(`${page.route} is ${kib(page.total)} KiB, over its ${budget} KiB budget`);
      }
    }
    for (const route of Object.keys(OVER_BUDGET))
      if (!pages.some((p) => p.route === route)) problems.push(`${route} is in OVER_BUDGET but is no page of the build`);
    expect(problems).toEqual([]);
  });

  it("reads the manifests the way the browser loads the page: the runtime once, then the page's own chunks", () => {
    const { runtime, pages } = measurePageWeights(NEXT_DIR);
    expect(runtime.files.length).toBeGreaterThan(0);
    for (const page of pages) {
      expect(page.total).toBe(page.runtime + page.own);
      expect(new Set(page.files).size).toBe(page.files.length);
      expect(page.own).toBeGreaterThan(0);
    }
  });
});
