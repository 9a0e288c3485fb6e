import { AppLink } from "./app-link";
import type { ComponentProps } from "react";
import { buttonClasses, type ButtonSize, type ButtonVariant } from "./button-styles";

/** A link that looks like a button (navigation, not an action). */
export function LinkButton({
  variant = "primary",
  size = "md",
  className = "",
  ...rest
}: ComponentProps<typeof AppLink> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <AppLink className={buttonClasses(variant, size, className)} {...rest} />;
}
