import { describe, expect, it } from "vitest";
import { escapeMarkdownCell } from "../../src/report/drift/markdown-text.js";

describe("escapeMarkdownCell", () => {
  it("neutralises links, images, emphasis, code, HTML and the cell separator", () => {
    expect(escapeMarkdownCell("![x](http://e/x.png) [click](http://e) *b* _i_ `c` ~s~ a|b <b>&")).toBe(
      "!\\[x\\](http://e/x.png) \\[click\\](http://e) \\*b\\* \\_i\\_ \\`c\\` \\~s\\~ a\\|b &lt;b&gt;&amp;",
    );
  });

  it("keeps one line, keeps e-mail addresses whole and stops @mentions", () => {
    expect(escapeMarkdownCell("line\nbreak")).toBe("line break");
    expect(escapeMarkdownCell("alice@contoso.com")).toBe("alice@contoso.com");
    expect(escapeMarkdownCell("@admins please")).toBe("@\u200badmins please");
  });
});
