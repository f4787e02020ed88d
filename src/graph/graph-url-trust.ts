import { isIP } from "node:net";
import { LicensectlError } from "../model/errors.js";
import { CLOUD_ENDPOINTS, cloudOfGraphRoot, type CloudEndpoints, type CloudName } from "./clouds.js";
import type { AuthMethod } from "./credential-settings.js";

/** The Graph root to talk to and the cloud whose authority signs its tokens. */
export interface ResolvedGraphTarget {
  /** Graph root without trailing slash or version. */
  readonly graphRoot: string;
  readonly cloud: CloudEndpoints;
  /** True when the root is a loopback address (the emulator). */
  readonly loopback: boolean;
}

/** 127.0.0.0/8, ::1 (and v4-mapped loopback), `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.split(".")[0] === "127";
  if (isIP(host) === 6) {
    if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    return mapped !== null && mapped[1]!.split(".")[0] === "127";
  }
  return false;
}

function parseGraphUrl(graphUrl: string): URL {
  let url: URL;
  try {
    url = new URL(graphUrl);
  } catch {
    throw new LicensectlError("bad-graph-url", `--graph-url ${graphUrl} is not a URL`, {
      hint: "Give the Graph root, e.g. https://graph.microsoft.com or http://127.0.0.1:5555 for the emulator.",
    });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new LicensectlError("bad-graph-url", `--graph-url ${graphUrl} must use http or https`, {
      hint: "Give the Graph root, e.g. https://graph.microsoft.com.",
    });
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new LicensectlError(
      "bad-graph-url",
      `--graph-url ${graphUrl} must not carry a query, fragment or user info`,
      {
        hint: "Give only the Graph root, e.g. https://graph.microsoft.com.",
      },
    );
  }
  if (/\/(v1\.0|beta)\/?$/i.test(url.pathname)) {
    throw new LicensectlError("bad-graph-url", `--graph-url ${graphUrl} includes an API version`, {
      hint: "Give the Graph root without /v1.0; licensectl appends the version itself.",
    });
  }
  return url;
}

function rootOf(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * Decides which Graph root licensectl may talk to. The rules keep credentials safe:
 * `--auth none` only reaches loopback (the emulator), and a real credential is only
 * ever sent to one of the four clouds' Graph roots.
 */
export function resolveGraphTarget(input: {
  readonly cloud: CloudName;
  readonly graphUrl?: string | undefined;
  readonly auth: AuthMethod;
}): ResolvedGraphTarget {
  const cloud = CLOUD_ENDPOINTS[input.cloud];
  if (input.graphUrl === undefined) {
    if (input.auth === "none") {
      throw new LicensectlError("auth-none-needs-emulator", "--auth none needs a --graph-url on loopback", {
        hint: "Without a credential licensectl can only talk to the emulator: pass e.g. --graph-url http://127.0.0.1:5555 (see `licensectl emulator`), or choose a credential with --auth.",
      });
    }
    return { graphRoot: cloud.graphRoot, cloud, loopback: false };
  }
  const url = parseGraphUrl(input.graphUrl);
  const root = rootOf(url);
  const loopback = isLoopbackHost(url.hostname);
  if (input.auth === "none") {
    if (!loopback) {
      throw new LicensectlError(
        "auth-none-needs-emulator",
        `--auth none is only allowed with a loopback --graph-url, not ${root}`,
        {
          hint: "Use --auth none only with the emulator on 127.0.0.1, ::1 or localhost; for a real tenant choose a credential with --auth.",
        },
      );
    }
    return { graphRoot: root, cloud, loopback };
  }
  const known = cloudOfGraphRoot(root);
  if (known === undefined) {
    throw new LicensectlError(
      "untrusted-graph-url",
      `Refusing to send a ${input.auth} credential to ${root}: it is not a Microsoft Graph root`,
      {
        hint: `With a credential, --graph-url must be one of ${Object.values(CLOUD_ENDPOINTS)
          .map((c) => c.graphRoot)
          .join(", ")}. For the emulator use --auth none.`,
      },
    );
  }
  if (known.name !== cloud.name) {
    throw new LicensectlError(
      "cloud-mismatch",
      `--graph-url ${root} belongs to the ${known.name} cloud but --cloud is ${cloud.name}`,
      {
        hint: `Pass --cloud ${known.name} (and drop --graph-url): tokens for ${root} come from that cloud's authority.`,
      },
    );
  }
  return { graphRoot: known.graphRoot, cloud: known, loopback: false };
}
