import { z } from "zod";
import { checkGrpcEndpoint, checkProviderUrl, type UrlRuleOptions } from "./url-rules";

/**
 * One definition per provider type. From it derive: request validation (the zod schema built by
 * `configSchema`), the `GET /api/secret-providers/types` payload, and the dashboard form. Pure:
 * safe to import from client components.
 */
export type FieldInputType = "text" | "password" | "textarea" | "url";

/** How a field's value is checked beyond being a non-empty string. */
export type FieldFormat =
  | { kind: "any" }
  | { kind: "pattern"; pattern: RegExp; message: string }
  | { kind: "url"; requireHttps?: boolean }
  | { kind: "grpc-endpoint" }
  | { kind: "json"; check: (value: unknown, opts: UrlRuleOptions) => string | null }
  | { kind: "choice"; options: readonly string[] };

export interface ConfigField {
  key: string;
  label: string;
  type: FieldInputType;
  required: boolean;
  sensitive?: true;
  help?: string;
  placeholder?: string;
  format: FieldFormat;
  maxLength?: number;
  /**
   * For a required field that other settings make unnecessary (a Vault token when another auth
   * method signs in): the field stays `required` in the types endpoint and the form, and is not
   * asked for when this says so.
   */
  optionalWhen?: (config: Record<string, string>) => boolean;
  /**
   * For the form only: whether the field means anything with the other settings as they are
   * (the AppRole fields with authMethod approle). A hidden field is not sent; validation and the
   * types endpoint are unchanged by it.
   */
  shownWhen?: (config: Record<string, string>) => boolean;
  /** For the form only: the field's text may be read from a file the person picks or drops. */
  upload?: { accept: string; description: string };
  /**
   * The field says where requests (and so credentials) go. Changing it on a connection with
   * stored credentials requires every one of them to be entered again (see address-change.ts).
   */
  address?: true;
}

/**
 * For the form only: one way a type can sign in. The API has no such setting; which way a stored
 * config uses follows from the fields it sets (SignInChoice.methodOf, as the adapter decides).
 */
export interface SignInMethod {
  value: string;
  label: string;
  /** What this way uses, shown under the choice. */
  help: string;
  /** The fields this way uses. A field in no way's list is shown whatever the choice. */
  fields: readonly string[];
  /** Of those, the ones this way cannot do without: the form asks for them. */
  required?: readonly string[];
}

export interface SignInChoice {
  /** The first is the choice for a new connection. */
  methods: readonly SignInMethod[];
  /** The way a stored config signs in. */
  methodOf: (config: Record<string, string>) => string;
}

export interface ProviderDefinition<T extends string = string> {
  type: T;
  name: string;
  description: string;
  /** npm packages the adapter needs, or empty for none (Vault speaks plain HTTP). */
  sdkPackages: readonly string[];
  fields: readonly ConfigField[];
  /** How a secret's `providerPath` is written for this type, for forms and docs. */
  pathHelp: string;
  /** Checks the syntax of a secret's `providerPath`; returns an error message or null. */
  checkPath: (path: string) => string | null;
  /**
   * For the form only: a "Sign in with" choice that shows the chosen way's fields, where the
   * way is otherwise only told by which fields are filled in (Vault has its authMethod field).
   */
  signIn?: SignInChoice;
  /** Rules across fields, e.g. "secretAccessKey is required when accessKeyId is set". */
  crossFieldRules?: (config: Record<string, string>) => Record<string, string>;
}

export type ProviderConfig = Record<string, string>;

/** An absolute file path of plain segments (no "." or ".." segment): where a token file lives. */
export const TOKEN_FILE_PATTERN = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._-]+)+$/;
export const TOKEN_FILE_FORMAT: FieldFormat = {
  kind: "pattern",
  pattern: TOKEN_FILE_PATTERN,
  message: "Must be an absolute file path, e.g. /var/run/secrets/kubernetes.io/serviceaccount/token",
};

/**
 * Every type's optional budget for the upstream refresh (lib/refresh): the most calls a minute it
 * makes to this connection's manager, across all instances. Resolves are not counted against it.
 */
export const MAX_CALLS_PER_MINUTE_FIELD = {
  key: "maxCallsPerMinute",
  label: "Refresh budget (calls per minute)",
  type: "text",
  required: false,
  placeholder: "unlimited",
  help: "The most calls a minute the upstream refresh makes to this manager, across all instances (1 to 100000); checks wait their turn past it. Empty: no limit. Resolves are not counted",
  format: { kind: "pattern", pattern: /^(?:[1-9]\d{0,4}|100000)$/, message: "Must be a whole number from 1 to 100000" },
} as const satisfies ConfigField;

/** A connection's maxCallsPerMinute as a number, or null when unset (or unreadable). */
export function maxCallsPerMinute(config: ProviderConfig): number | null {
  const value = Number(config.maxCallsPerMinute);
  return Number.isInteger(value) && value >= 1 ? value : null;
}

const DEFAULT_MAX_LENGTH = 2048;

function checkFormat(field: ConfigField, value: string, opts: UrlRuleOptions): string | null {
  const format = field.format;
  switch (format.kind) {
    case "any":
      return null;
    case "pattern":
      return format.pattern.test(value) ? null : format.message;
    case "url":
      return checkProviderUrl(value, opts, format.requireHttps ?? false);
    case "grpc-endpoint":
      return checkGrpcEndpoint(value, opts);
    case "choice":
      return format.options.includes(value) ? null : `Must be one of: ${format.options.join(", ")}`;
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return "Must be valid JSON";
      }
      return format.check(parsed, opts);
    }
  }
}

/**
 * The zod schema for a complete config of this type: every value a string, no unknown keys,
 * required fields present, formats and cross-field rules checked. Empty strings count as absent.
 */
export function configSchema(definition: ProviderDefinition, opts: UrlRuleOptions) {
  const known = new Map(definition.fields.map((f) => [f.key, f]));
  // z.custom keeps the caller's object as it is: z.record would copy it, and a `__proto__` member
  // would vanish in the copy instead of being refused as an unknown field.
  return z
    .custom<Record<string, unknown>>(
      (value) => typeof value === "object" && value !== null && !Array.isArray(value),
      "Config must be an object",
    )
    .superRefine((raw, ctx) => {
      for (const [key, value] of Object.entries(raw)) {
        const field = known.get(key);
        if (!field) {
          ctx.addIssue({ code: "custom", path: [key], message: `Unknown field for ${definition.name}` });
          continue;
        }
        if (value === undefined || value === null || value === "") continue;
        if (typeof value !== "string") {
          ctx.addIssue({ code: "custom", path: [key], message: `${field.label} must be a string` });
          continue;
        }
        const max = field.maxLength ?? DEFAULT_MAX_LENGTH;
        if (value.length > max) {
          ctx.addIssue({ code: "custom", path: [key], message: `${field.label} must be at most ${max} characters` });
          continue;
        }
        if (value.includes("\0")) {
          ctx.addIssue({ code: "custom", path: [key], message: `${field.label} must not contain null bytes` });
          continue;
        }
        const problem = checkFormat(field, value.trim(), opts);
        if (problem) ctx.addIssue({ code: "custom", path: [key], message: problem });
      }
      const given = compactConfig(raw);
      for (const field of definition.fields) {
        const value = raw[field.key];
        if (field.required && (value === undefined || value === null || value === "") && !field.optionalWhen?.(given)) {
          ctx.addIssue({ code: "custom", path: [field.key], message: `${field.label} is required` });
        }
      }
      if (definition.crossFieldRules) {
        const strings = compactConfig(raw);
        for (const [key, message] of Object.entries(definition.crossFieldRules(strings))) {
          ctx.addIssue({ code: "custom", path: [key], message });
        }
      }
    })
    .transform((raw) => compactConfig(raw));
}

/** Drops absent and empty values and trims the rest: the stored form of a config. */
export function compactConfig(raw: Record<string, unknown>): ProviderConfig {
  const out: ProviderConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "string" && value.trim() !== "") out[key] = value.trim();
  }
  return out;
}

export function sensitiveKeys(definition: ProviderDefinition): Set<string> {
  return new Set(definition.fields.filter((f) => f.sensitive).map((f) => f.key));
}

/** The public description of a field, as the types endpoint and the form see it (the contract's members, plus `options`). */
export function describeField(field: ConfigField) {
  return {
    key: field.key,
    label: field.label,
    type: field.type,
    required: field.required,
    ...(field.sensitive ? { sensitive: true as const } : {}),
    ...(field.help ? { help: field.help } : {}),
    ...(field.placeholder ? { placeholder: field.placeholder } : {}),
    // A field with a fixed set of values lists them, so that forms can offer a choice instead of free text.
    ...(field.format.kind === "choice" ? { options: [...field.format.options] } : {}),
  };
}
