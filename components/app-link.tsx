"use client";

import { useRouter } from "next/navigation";
import { useTransition, type AnchorHTMLAttributes, type MouseEvent } from "react";
import { isDocumentPage } from "@/lib/page-scripts";

/**
 * A link to a page of the dashboard: a plain click navigates on the client through the app
 * router, like next/link; a click that asks for something else (a new tab or window, a download,
 * a right or middle click) is left to the browser, and without JavaScript it is an ordinary link.
 *
 * Not next/link, whose prefetching machinery (viewport observers, the prefetch cache, URL
 * formatting) is about 4 KiB gzipped on every page that shows a link: every dashboard page is
 * rendered per request for the signed-in user, so a prefetch could fetch nothing of it.
 *
 * A link to a page without the framework (the list pages and sign-in, lib/page-scripts.ts) is left
 * to the browser: the App Router cannot render those, and would only find that out by asking.
 *
 * Until the next page is there, the clicked link carries `data-pending` (app/globals.css: the
 * page dims if the wait is noticeable). The dashboard has no loading skeleton: its pages read only
 * the database and render in tens of milliseconds, and a skeleton streamed ahead of the content
 * cost every first load a second rendering pass and an animation (README: "No loading skeleton").
 */
export function AppLink({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const navigate = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || !isPlainClick(event) || (rest.target && rest.target !== "_self") || rest.download !== undefined) return;
    if (isDocumentPage(href)) return;
    event.preventDefault();
    startTransition(() => router.push(href));
  };
  return <a href={href} onClick={navigate} data-pending={pending || undefined} {...rest} />;
}

function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
