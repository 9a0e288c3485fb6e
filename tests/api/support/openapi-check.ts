import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import { buildOpenApi } from "@/lib/openapi/build-openapi";

/**
 * Holds every answer the integration suite sees to the OpenAPI document the server publishes:
 * the operation must exist for the method and path, the status must be one it declares, and a
 * JSON body must match the declared schema (objects declare all their members, so an undeclared
 * member fails). Headers are not checked here; the tests that need them assert them. A generated client is only as good as this document; this is what keeps it true.
 */
type Document = ReturnType<typeof buildOpenApi>;
type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };

let compiled: { document: Document; ajv: Ajv2020; routes: Array<{ pattern: RegExp; literal: number; template: string }> } | undefined;

function setUp() {
  if (compiled) return compiled;
  const document = buildOpenApi();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:/i);
  ajv.addSchema({ $id: "openapi", components: document.components }, "openapi");
  const routes = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    // Literal paths win over templates: /api/secrets/resolve is not /api/secrets/{id}.
    literal: template.replace(/\{[^}]+\}/g, "").length,
  }));
  routes.sort((a, b) => b.literal - a.literal);
  compiled = { document, ajv, routes };
  return compiled;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(ajv: Ajv2020, key: string, schema: unknown): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    // Local $refs point into the components registered under "openapi".
    const rooted = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
    validate = ajv.compile(rooted as object);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * The ways an answer departs from the document, or [] when it matches. Paths outside /api and the
 * methods a path does not have (405) are not described operations and are not checked.
 */
export function openApiProblems(method: string, url: string, status: number, contentType: string, body: unknown): string[] {
  const { document, ajv, routes } = setUp();
  // Node's HTTP server answers an oversized request line or headers itself, before any route.
  if (status === 431) return [];
  const pathname = new URL(url, "http://x").pathname.replace(/(.)\/+$/, "$1"); // /api/ is /api
  if (!pathname.startsWith("/api/") && pathname !== "/api") return [];
  if (pathname.startsWith("/api/auth/") || pathname === "/api/openapi.json") return [];
  const route = routes.find((r) => r.pattern.test(pathname));
  const where = `${method} ${pathname} → ${status}`;
  if (!route) return status === 404 ? [] : [`${where}: no path in the document matches`];
  const operation = (document.paths as unknown as Record<string, Record<string, Operation>>)[route.template]![method.toLowerCase()];
  if (!operation) return status === 405 ? [] : [`${where}: the document has no ${method} for ${route.template}`];
  const declared = operation.responses[String(status)];
  if (!declared) return [`${where}: status ${status} is not declared (declared: ${Object.keys(operation.responses).join(", ")})`];
  const media = contentType.split(";")[0]!.trim();
  if (!declared.content) return body === undefined ? [] : [`${where}: a body came back where none is declared`];
  const schema = declared.content[media]?.schema;
  if (!schema)
    return [`${where}: content type ${media || "(none)"} is not declared (declared: ${Object.keys(declared.content).join(", ")})`];
  if (media !== "application/json") return [];
  const validate = validatorFor(ajv, `${route.template} ${method} ${status}`, schema);
  if (validate(body)) return [];
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${where}: body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}
