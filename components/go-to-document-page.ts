import { carryToast } from "./toast-provider";

/**
 * Goes to a page without React (lib/page-scripts.ts: the list pages) with a toast that greets the
 * reader there. The browser loads the page whole: router.push would first ask the server for an
 * App Router rendering of it, which it cannot make, and only then load it.
 */
export function goToDocumentPage(href: string, toast: string): void {
  carryToast(toast);
  window.location.assign(href);
}
