import { buttonClasses } from "./button-styles";

/**
 * A plain form, not a click handler or a server action: it works on every page (the Pages Router
 * ones too, which have no server actions), before the page's scripts have run and without them.
 */
export function SignOutButton({ className = "" }: { className?: string }) {
  return (
    <form method="post" action="/sign-out">
      <button type="submit" className={buttonClasses("secondary", "sm", className)}>
        Sign out
      </button>
    </form>
  );
}
