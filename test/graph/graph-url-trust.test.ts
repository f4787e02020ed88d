import { describe, expect, it } from "vitest";
import { CLOUD_ENDPOINTS, cloudOfGraphRoot, graphScope } from "../../src/graph/clouds.js";
import { isLoopbackHost, resolveGraphTarget } from "../../src/graph/graph-url-trust.js";
import { isLicensectlError } from "../../src/model/errors.js";

function errorOf(fn: () => unknown): { code: string; message: string; hint: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (isLicensectlError(error)) return { code: error.code, message: error.message, hint: error.hint };
    throw error;
  }
  throw new Error("expected a LicensectlError");
}

describe("cloud table", () => {
  it("maps each cloud to its Graph root, authority and scope", () => {
    expect(CLOUD_ENDPOINTS.global).toMatchObject({
      graphRoot: "https://graph.microsoft.com",
      authorityHost: "https://login.microsoftonline.com",
    });
    expect(CLOUD_ENDPOINTS.usgov).toMatchObject({
      graphRoot: "https://graph.microsoft.us",
      authorityHost: "https://login.microsoftonline.us",
    });
    expect(CLOUD_ENDPOINTS.usgovdod).toMatchObject({
      graphRoot: "https://dod-graph.microsoft.us",
      authorityHost: "https://login.microsoftonline.us",
    });
    expect(CLOUD_ENDPOINTS.china).toMatchObject({
      graphRoot: "https://microsoftgraph.chinacloudapi.cn",
      authorityHost: "https://login.chinacloudapi.cn",
    });
    expect(graphScope(CLOUD_ENDPOINTS.china.graphRoot)).toBe(
      "https://microsoftgraph.chinacloudapi.cn/.default",
    );
    expect(cloudOfGraphRoot("https://dod-graph.microsoft.us")?.name).toBe("usgovdod");
    expect(cloudOfGraphRoot("https://graph.microsoft.com.evil.example")).toBeUndefined();
  });
});

describe("loopback detection", () => {
  it.each(["127.0.0.1", "127.8.9.10", "localhost", "LOCALHOST", "::1", "[::1]", "::ffff:127.0.0.1"])(
    "%s is loopback",
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );
  it.each([
    "128.0.0.1",
    "10.0.0.1",
    "localhost.example.com",
    "evil.localhost",
    "::2",
    "graph.microsoft.com",
    "0.0.0.0",
  ])("%s is not loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe("which Graph root licensectl may talk to", () => {
  it("uses the cloud's root when no --graph-url is given", () => {
    expect(resolveGraphTarget({ cloud: "usgov", auth: "client-secret" })).toMatchObject({
      graphRoot: "https://graph.microsoft.us",
      loopback: false,
    });
  });

  it("allows --auth none on loopback and strips a trailing slash", () => {
    expect(
      resolveGraphTarget({ cloud: "global", auth: "none", graphUrl: "http://127.0.0.1:5555/" }),
    ).toMatchObject({
      graphRoot: "http://127.0.0.1:5555",
      loopback: true,
    });
    expect(
      resolveGraphTarget({ cloud: "global", auth: "none", graphUrl: "http://[::1]:8080" }).graphRoot,
    ).toBe("http://[::1]:8080");
  });

  it("refuses --auth none anywhere but loopback", () => {
    for (const graphUrl of [
      "https://graph.microsoft.com",
      "http://10.1.2.3:5555",
      "http://localhost.evil.example",
    ]) {
      expect(errorOf(() => resolveGraphTarget({ cloud: "global", auth: "none", graphUrl })).code).toBe(
        "auth-none-needs-emulator",
      );
    }
    expect(errorOf(() => resolveGraphTarget({ cloud: "global", auth: "none" })).code).toBe(
      "auth-none-needs-emulator",
    );
  });

  it("never sends a credential to a host that is not a Graph root", () => {
    for (const graphUrl of [
      "http://127.0.0.1:5555",
      "https://graph.microsoft.com.evil.example",
      "https://evil.example",
      "http://graph.microsoft.com",
      "https://graph.microsoft.com:8443",
      "https://graph.microsoft.com/proxy",
    ]) {
      const error = errorOf(() => resolveGraphTarget({ cloud: "global", auth: "client-secret", graphUrl }));
      expect(error.code, graphUrl).toBe("untrusted-graph-url");
      expect(error.message).toContain("client-secret");
    }
  });

  it("accepts a credential with the cloud's own root and refuses another cloud's", () => {
    expect(
      resolveGraphTarget({
        cloud: "china",
        auth: "default",
        graphUrl: "https://microsoftgraph.chinacloudapi.cn/",
      }).graphRoot,
    ).toBe("https://microsoftgraph.chinacloudapi.cn");
    const mismatch = errorOf(() =>
      resolveGraphTarget({ cloud: "global", auth: "default", graphUrl: "https://graph.microsoft.us" }),
    );
    expect(mismatch.code).toBe("cloud-mismatch");
    expect(mismatch.hint).toContain("--cloud usgov");
  });

  it("explains a --graph-url that carries the API version or is not a URL", () => {
    expect(
      errorOf(() =>
        resolveGraphTarget({ cloud: "global", auth: "none", graphUrl: "http://127.0.0.1:1/v1.0" }),
      ).hint,
    ).toContain("without /v1.0");
    expect(
      errorOf(() => resolveGraphTarget({ cloud: "global", auth: "none", graphUrl: "not a url" })).code,
    ).toBe("bad-graph-url");
    expect(
      errorOf(() => resolveGraphTarget({ cloud: "global", auth: "none", graphUrl: "ftp://127.0.0.1" })).code,
    ).toBe("bad-graph-url");
  });
});
