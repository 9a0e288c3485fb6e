import { json, publicRoute } from "@/lib/api/route";

// Any other /api path: a JSON 404 in the contract's error shape instead of the HTML not-found page.
const notFound = publicRoute(async (request) =>
  json({ error: { code: "not_found", message: `No API endpoint at ${new URL(request.url).pathname}.` } }, 404),
);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
