import { randomUUID } from "node:crypto";

/**
 * A Graph error as the emulator answers it: HTTP status, Graph's error code
 * and message, optional extra headers (Retry-After on 429). Thrown by route
 * handlers and turned into Graph's envelope by the server and by $batch.
 */
export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Extra members of innerError (the 429 body carries code/status/message there). */
  readonly innerError: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { headers?: Record<string, string>; innerError?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "GraphError";
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.innerError = options.innerError ?? {};
  }
}

/** Graph's date form in innerError: ISO without fraction or zone, e.g. 2025-02-13T10:17:06. */
export function graphDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19);
}

/** The envelope Graph wraps every error in. */
export function errorEnvelope(
  error: GraphError,
  requestId: string,
  clientRequestId: string,
): { error: { code: string; message: string; innerError: Record<string, string> } } {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        ...error.innerError,
        date: graphDate(),
        "request-id": requestId,
        "client-request-id": clientRequestId,
      },
    },
  };
}

export const newRequestId = (): string => randomUUID();

// Builders for the errors licensing clients meet; messages as Graph words them (Microsoft Graph error responses and the licensing API pages; where Microsoft documents no wording, the choice is marked beside the builder).

export const badRequest = (message: string): GraphError => new GraphError(400, "Request_BadRequest", message);

export const resourceNotFound = (id: string): GraphError =>
  new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const unsupportedQuery = (message: string): GraphError =>
  new GraphError(400, "Request_UnsupportedQuery", message);

/** Graph's answer to a path segment it does not know. */
export const segmentNotFound = (segment: string): GraphError =>
  new GraphError(400, "BadRequest", `Resource not found for the segment '${segment}'.`);

/**
 * Graph's answer to `$select=signInActivity` in a tenant without Microsoft
 * Entra ID P1 or P2 (the sign-in activity of users needs a premium license).
 */
export const signInActivityNeedsPremium = (): GraphError =>
  new GraphError(
    403,
    "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
    "Neither tenant is B2C or tenant doesn't have premium license",
  );

/**
 * Graph's answer to a request the application holds no permission for
 * (Microsoft Graph error responses: 403 Authorization_RequestDenied).
 */
export const insufficientPrivileges = (): GraphError =>
  new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

export const invalidGuid = (): GraphError =>
  new GraphError(
    400,
    "BadRequest",
    "Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details.",
  );

export const missingAssignLicenseParameters = (missing: readonly string[]): GraphError =>
  badRequest(
    "One or more parameters of the operation 'assignLicense' are missing from the request payload. " +
      `The missing parameters are: ${missing.join(", ")}.`,
  );

export const invalidUsageLocation = (): GraphError =>
  badRequest("License assignment cannot be done for user with invalid usage location.");

export const noAvailableLicenses = (skuId: string): GraphError =>
  badRequest(`Subscription with SKU ${skuId} does not have any available licenses.`);

export const notACompanyLicense = (skuId: string): GraphError =>
  badRequest(`License ${skuId.toLowerCase()} does not correspond to a valid company License.`);

export const userLacksLicense = (): GraphError => badRequest("User does not have a corresponding license.");

export const groupLacksLicense = (): GraphError => badRequest("Group does not have a corresponding license.");

export const inheritedLicense = (): GraphError =>
  badRequest(
    "User license is inherited from a group membership and it cannot be removed directly from the user.",
  );

export const dependencyViolation = (planId: string, requires: readonly string[]): GraphError =>
  badRequest(
    `License assignment failed because service plan ${planId} depends on the service plan(s) ${requires.join(", ")}`,
  );

export const mutuallyExclusive = (a: string, b: string): GraphError =>
  badRequest(`License assignment failed because service plans ${a}, ${b} are mutually exclusive.`);

export const companyOnlySku = (skuId: string, target: "user" | "group"): GraphError =>
  badRequest(`License ${skuId} cannot be assigned to a ${target}.`);

export const planNotInSku = (planId: string, skuId: string): GraphError =>
  badRequest(`Service plan ${planId} does not belong to the subscription with SKU ${skuId}.`);

/**
 * Group-based licensing needs a security group (a Microsoft 365 group with
 * securityEnabled=true counts). Graph's wording for the refusal is not
 * documented; this one names the rule.
 */
export const notSecurityEnabled = (groupId: string): GraphError =>
  badRequest(
    `License assignment failed because group ${groupId} is not security enabled. Group-based licensing requires a security-enabled group.`,
  );

/** An unknown property in $select, as Graph's OData layer words it. */
export const unknownProperty = (name: string, type: string): GraphError =>
  new GraphError(
    400,
    "BadRequest",
    `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`,
  );

/** An action body member the action does not declare (OData's wording for action parameters). */
export const unknownActionParameter = (name: string, action: string): GraphError =>
  new GraphError(
    400,
    "BadRequest",
    `The parameter '${name}' in the request payload is not a valid parameter for the operation '${action}'.`,
  );

/** A body Graph cannot read as JSON: no or another Content-Type, or malformed JSON. */
export const unreadablePayload = (): GraphError =>
  new GraphError(
    400,
    "BadRequest",
    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
  );

export const invalidTop = (value: string): GraphError =>
  unsupportedQuery(`Invalid page size specified: '${value}'. Must be between 1 and 999 inclusive.`);

export const countNotSupported = (): GraphError => badRequest("$count is not currently supported.");

/** The advanced-query hint Graph gives for `ne`, `not`, `endsWith`, `/$count` without the required parameters. */
export const advancedQueryRequired = (operator: string): GraphError =>
  unsupportedQuery(
    `Operator '${operator}' is not supported because the required parameters might be missing. ` +
      "Try adding $count=true query parameter and ConsistencyLevel:eventual header. " +
      "Refer to https://aka.ms/graph-docs/advanced-queries for more information",
  );

export const unsupportedFilterProperty = (property: string, resource: string): GraphError =>
  unsupportedQuery(
    `Unsupported or invalid query filter clause specified for property '${property}' of resource '${resource}'.`,
  );

export const invalidFilter = (detail: string): GraphError =>
  new GraphError(400, "BadRequest", `Invalid filter clause: ${detail}`);

export const methodNotAllowed = (): GraphError =>
  new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");

/** Graph's 429 body (learn graph/throttling sample) plus its throttle headers. */
export const tooManyRequests = (retryAfterSeconds: number, tenantId: string): GraphError =>
  new GraphError(429, "TooManyRequests", "Please retry again later.", {
    headers: {
      "Retry-After": String(retryAfterSeconds),
      "x-ms-throttle-scope": `Tenant_Application/ReadWrite/00000000-0000-0000-0000-000000000000/${tenantId}`,
      "x-ms-throttle-information": "WriteLimitExceeded",
    },
    innerError: { code: "429", message: "Please retry after", status: "429" },
  });

export const serviceUnavailable = (status: 503 | 504): GraphError =>
  status === 503
    ? new GraphError(
        503,
        "serviceNotAvailable",
        "The service is temporarily unavailable. Please retry later.",
        {
          headers: { "Retry-After": "1" },
        },
      )
    : new GraphError(
        504,
        "UnknownError",
        "The gateway did not receive a timely response from the upstream service.",
      );
