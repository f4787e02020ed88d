import { describe, expect, it } from "vitest";
import { graphErrorInfo, graphFailure, networkFailure, permissionFor } from "../../src/graph/graph-errors.js";

describe("Graph error mapping", () => {
  it("names the least permission each request needs", () => {
    expect(permissionFor("GET", "/users?$select=id&$top=999")).toBe("User.Read.All");
    expect(permissionFor("GET", "https://graph.microsoft.com/v1.0/users?$skiptoken=x")).toBe("User.Read.All");
    expect(permissionFor("GET", "/groups/abc/members/microsoft.graph.user?$select=id")).toContain(
      "GroupMember.Read.All",
    );
    expect(permissionFor("GET", "/groups?$select=id")).toContain("Group.Read.All");
    expect(permissionFor("GET", "/subscribedSkus")).toBe("Organization.Read.All");
    expect(permissionFor("GET", "/organization")).toBe("Organization.Read.All");
    expect(permissionFor("POST", "/users/abc/assignLicense")).toBe("LicenseAssignment.ReadWrite.All");
    expect(permissionFor("POST", "/groups/abc/assignLicense")).toBe("LicenseAssignment.ReadWrite.All");
    expect(permissionFor("PATCH", "/users/abc")).toBe("User.ReadWrite.All");
  });

  it("turns a 403 into a message naming the permission, with Graph's code", () => {
    const error = graphFailure("GET", "/users?$top=999", 403, {
      error: {
        code: "Authorization_RequestDenied",
        message: "Insufficient privileges to complete the operation.",
      },
    });
    expect(error.code).toBe("graph-permission-denied");
    expect(error.graphCode).toBe("Authorization_RequestDenied");
    expect(error.message).toContain("User.Read.All");
    expect(error.message).toContain("Insufficient privileges to complete the operation.");
    expect(error.hint).toContain("Grant");
  });

  it("keeps Graph's code and message for other failures", () => {
    const error = graphFailure("GET", "/groups/x", 404, {
      error: { code: "Request_ResourceNotFound", message: "Resource 'x' does not exist." },
    });
    expect(error.code).toBe("graph-error");
    expect(error.graphCode).toBe("Request_ResourceNotFound");
    expect(error.message).toContain("Resource 'x' does not exist.");
    expect(graphErrorInfo(502, "<html>")).toEqual({ code: "HTTP502", message: "HTTP status 502" });
  });

  it("names the URL when the network fails", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const error = networkFailure(
      "GET",
      "http://127.0.0.1:1/v1.0/users",
      new TypeError("fetch failed", { cause }),
    );
    expect(error.code).toBe("network-error");
    expect(error.message).toContain("http://127.0.0.1:1/v1.0/users");
    expect(error.message).toContain("ECONNREFUSED");
  });
});
