// @ts-check
/**
 * The sign-in form's behaviour (pages/login.tsx ships no framework, only this file). The same
 * checks and messages as the dashboard's forms, and the request next-auth's own client sends,
 * without its session machinery: a CSRF token from /api/auth/csrf, then the credentials callback
 * with `json=true`. The markup for each state (a field's error, the error banner, the pending
 * button) is rendered on the server by the app's components into <template id="sign-in-states">;
 * this script only moves it in and fills in the text. Plain JavaScript, type-checked by tsc.
 */
(() => {
  const form = /** @type {HTMLFormElement} */ (document.getElementById("sign-in"));
  const states = /** @type {HTMLTemplateElement} */ (document.getElementById("sign-in-states")).content;
  const region = /** @type {HTMLElement} */ (document.querySelector("#sign-in-banner > [aria-live]"));
  const notice = [...region.childNodes];
  const idleButton = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
  const ARIA = ["aria-invalid", "aria-describedby"];
  let pending = false;

  /** @param {"email" | "password"} name */
  const input = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
  /** The input's ARIA as it is with no error, as components/field.tsx renders it. */
  const idleAria = Object.fromEntries(
    /** @type {const} */ (["email", "password"]).map((name) => [name, ARIA.map((attribute) => input(name).getAttribute(attribute))]),
  );

  /** @param {string} email @param {string} password */
  function check(email, password) {
    /** @type {{ email?: string, password?: string }} */
    const errors = {};
    if (email === "") errors.email = "Enter your email";
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = "Enter an email address";
    if (password === "") errors.password = "Enter your password";
    return errors;
  }

  /** @param {"email" | "password"} name @param {string | undefined} message */
  function showFieldError(name, message) {
    const errorInput = /** @type {HTMLInputElement} */ (states.getElementById(name));
    ARIA.forEach((attribute, i) => {
      const value = message ? errorInput.getAttribute(attribute) : idleAria[name]?.[i];
      if (value == null) input(name).removeAttribute(attribute);
      else input(name).setAttribute(attribute, value);
    });
    /** @type {HTMLElement} */ (document.getElementById(`${name}-error`)).textContent = message ?? "";
  }

  /** An error in the banner, or (null) the notice the page came with. @param {string | null} message */
  function showFailure(message) {
    if (message === null) return region.replaceChildren(...notice);
    const banner = /** @type {HTMLElement} */ (states.querySelector("[data-banner=error]")?.cloneNode(true));
    /** @type {HTMLElement} */ (banner.querySelector("p")).textContent = message;
    region.replaceChildren(banner);
  }

  /** @param {boolean} on */
  function showPending(on) {
    pending = on;
    const current = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    const next = on ? /** @type {HTMLButtonElement} */ (states.querySelector("button")?.cloneNode(true)) : idleButton;
    if (current !== next) current.replaceWith(next);
  }

  /**
   * `ok` when a session was made; `status` 401 for a wrong email or password, 429 when rate-limited.
   * @param {string} email @param {string} password
   */
  async function signIn(email, password) {
    const csrf = await fetch("/api/auth/csrf", { cache: "no-store" });
    const { csrfToken } = /** @type {{ csrfToken: string }} */ (await csrf.json());
    const response = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: window.location.href, json: "true" }),
    });
    const { url } = /** @type {{ url?: string }} */ (await response.json().catch(() => ({})));
    // next-auth answers a refused password with 200 or 401 and `?error=` in its url.
    const refused = !url || new URL(url, window.location.href).searchParams.has("error");
    return { ok: response.ok && !refused, status: response.status };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(form);
    const email = String(data.get("email") ?? "").trim();
    const password = String(data.get("password") ?? "");
    const errors = check(email, password);
    showFieldError("email", errors.email);
    showFieldError("password", errors.password);
    if (errors.email || errors.password) {
      input(errors.email ? "email" : "password").focus();
      return;
    }
    showFailure(null);
    showPending(true);
    /** @type {{ ok: boolean, status: number }} */
    let result;
    try {
      result = await signIn(email, password);
    } catch {
      // No answer, or no CSRF token in it: nothing to blame on the password.
      showPending(false);
      showFailure("The server could not be reached. Check your connection, then try again.");
      return;
    }
    if (result.ok) {
      // A full page load, not a client-side navigation: the dashboard loads its own runtime.
      window.location.replace("/");
      return;
    }
    showPending(false);
    if (result.status === 429) {
      showFailure("Too many failed sign-in attempts. Wait a few minutes, then try again.");
      return;
    }
    showFailure("That email and password do not match an active account.");
    input("password").focus();
  });
})();
