// @ts-check
/**
 * The behaviour of the dashboard pages that ship no framework (lib/page-scripts.ts: the secrets
 * and secret providers lists), done as the React components do it elsewhere: the phone menu
 * (components/mobile-menu.tsx), toasts (components/toast-provider.tsx: the markup is rendered on
 * the server into <template id="toast-states">, this script only clones it), a toast carried over
 * from the page before, and the secrets' copy buttons (components/secrets/secret-row-buttons.tsx).
 * Plain JavaScript, type-checked by tsc.
 */
(() => {
  const LIFETIME_MS = { success: 5000, info: 5000, error: 9000 };
  const CARRIED_TOAST = "provenance.toast";
  const CARRIED_FOR_MS = 10_000;
  const region = /** @type {HTMLElement} */ (document.querySelector('[role=status][aria-label="Notifications"]'));
  const toastStates = /** @type {HTMLTemplateElement} */ (document.getElementById("toast-states")).content;

  /** @param {string} message @param {"success" | "error" | "info"} tone */
  function toast(message, tone) {
    const card = /** @type {HTMLElement} */ (toastStates.querySelector(`[data-toast=${tone}]`)?.cloneNode(true));
    /** @type {HTMLElement} */ (card.querySelector("p")).textContent = message;
    const dismiss = () => card.remove();
    card.querySelector("button")?.addEventListener("click", dismiss);
    setTimeout(dismiss, LIFETIME_MS[tone]);
    // At most four at once, as in ToastProvider.
    while (region.children.length >= 4) region.firstElementChild?.remove();
    region.append(card);
  }

  /** A toast the page before raised just before sending the browser here (carryToast). */
  function showCarriedToast() {
    try {
      const text = sessionStorage.getItem(CARRIED_TOAST);
      sessionStorage.removeItem(CARRIED_TOAST);
      const carried = text ? JSON.parse(text) : null;
      if (carried && Date.now() - carried.at < CARRIED_FOR_MS)
        toast(String(carried.message), carried.tone === "error" ? "error" : "success");
    } catch {
      // Storage turned off or the entry damaged: no toast.
    }
  }

  /** The phone menu: the button's aria-expanded and the panel's hidden, Escape to close. */
  function wireMenu() {
    const button = /** @type {HTMLButtonElement | null} */ (document.querySelector("header button[aria-controls]"));
    const panel = button && document.getElementById(button.getAttribute("aria-controls") ?? "");
    if (!button || !panel) return;
    // Rendered disabled until a script can open it (components/mobile-menu.tsx).
    button.disabled = false;
    /** @param {boolean} open */
    const setOpen = (open) => {
      button.setAttribute("aria-expanded", String(open));
      panel.hidden = !open;
    };
    button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
    window.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") setOpen(false);
    });
  }

  /**
   * The value, as Reveal reads it: the resolve endpoint with the session, audited as a read.
   * @param {string} secretPath
   */
  async function readValue(secretPath) {
    const response = await fetch(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`, { cache: "no-store" });
    const body = await response.json().catch(() => null);
    if (!response.ok || typeof body?.value !== "string") {
      throw new Refused(typeof body?.error?.message === "string" ? body.error.message : "The value could not be read.");
    }
    return /** @type {string} */ (body.value);
  }

  class Refused extends Error {}

  /** @param {HTMLButtonElement} button */
  async function copy(button) {
    const secretPath = button.dataset.secretPath ?? "";
    if (button.dataset.copy === "path") {
      try {
        await navigator.clipboard.writeText(secretPath);
        toast(`Copied the path ${secretPath}.`, "success");
      } catch {
        toast("The browser did not allow copying to the clipboard.", "error");
      }
      return;
    }
    button.disabled = true;
    /** @type {string | null} */
    let refused = null;
    const value = readValue(secretPath).catch((/** @type {unknown} */ reason) => {
      refused = reason instanceof Refused ? reason.message : "The value could not be read.";
      throw reason;
    });
    try {
      // The value as a promise inside a ClipboardItem keeps the click's permission to write
      // (Safari requires that); where ClipboardItem is missing, write the text once it is here.
      if (typeof ClipboardItem === "function") {
        await navigator.clipboard.write([
          new ClipboardItem({ "text/plain": value.then((text) => new Blob([text], { type: "text/plain" })) }),
        ]);
      } else {
        await navigator.clipboard.writeText(await value);
      }
      toast(`Copied the value of ${secretPath}. The read is recorded in the audit log.`, "success");
    } catch {
      toast(refused ?? "The browser did not allow copying to the clipboard.", "error");
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
    if (button instanceof HTMLButtonElement && !button.disabled) void copy(button);
  });
  wireMenu();
  showCarriedToast();
})();
