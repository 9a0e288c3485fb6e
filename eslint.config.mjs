import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "lib/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "e2e/artifacts/**",
      "client/dist/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Links between the app's pages are components/app-link.tsx: next/link's prefetching adds
    // about 4 KiB to every page and has nothing to prefetch on pages rendered per request.
    // A <form> says how it is sent: one its own script sends is ScriptedForm, which POSTs if it is
    // sent before that script runs; a bare form would put its fields into the URL.
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "next/link", message: "Use AppLink from components/app-link.tsx." }] }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "JSXOpeningElement[name.name='form']:not(:has(JSXAttribute[name.name=/^(method|action)$/]))",
          message: "Give the form a method or an action; a form its script sends is ScriptedForm (components/scripted-form.tsx).",
        },
      ],
    },
  },
  {
    // Domain code (lib/) does not depend on the HTTP edge (lib/api: route wrappers, headers, peer
    // addresses): route handlers, server actions and the fast path call into lib/, never the
    // reverse. lib/auth, lib/boot and lib/pages sit at the edge themselves (sign-in, request
    // wiring, the Pages Router pages' requests).
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    ignores: ["lib/api/**", "lib/auth/**", "lib/boot/**", "lib/pages/**", "**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/api/*", "**/lib/api/*"],
              message: "Domain code must not import the HTTP edge (lib/api); move what both need into lib/ (e.g. lib/validation).",
            },
          ],
        },
      ],
    },
  },
];

export default config;
