import { describe, expect, it } from "vitest";
import { codeSpanInTable, escapeMarkdown, markdownTable } from "../../src/report/markdown.js";

describe("escapeMarkdown", () => {
  it("turns HTML into entities and markdown syntax into literal characters", () => {
    expect(escapeMarkdown("<b>x</b> & y")).toBe("&lt;b&gt;x&lt;/b&gt; &amp; y");
    expect(escapeMarkdown("a|b `c` *d* _e_ [f](g) ~h~ #i !j \\k")).toBe(
      "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\~h\\~ \\#i \\!j \\\\k",
    );
  });

  it("keeps a cell on one line", () => {
    expect(escapeMarkdown("one\ntwo\r\nthree")).toBe("one two three");
  });

  it("breaks mentions but leaves e-mail addresses alone", () => {
    expect(escapeMarkdown("@contoso/admins")).toBe("@\u200bcontoso/admins");
    expect(escapeMarkdown("ping @alice")).toBe("ping @\u200balice");
    expect(escapeMarkdown("alice@contoso.com")).toBe("alice@contoso.com");
  });
});

describe("codeSpanInTable", () => {
  it("fences backticks with a longer run and escapes pipes", () => {
    expect(codeSpanInTable("SPE_E5")).toBe("`SPE_E5`");
    expect(codeSpanInTable("a`b")).toBe("``a`b``");
    expect(codeSpanInTable("`x``")).toBe("``` `x`` ```");
    expect(codeSpanInTable("a|b")).toBe("`a\\|b`");
  });
});

describe("markdownTable", () => {
  it("escapes every cell: links, images, emphasis, HTML and the cell separator stay literal", () => {
    const [header, rule, row] = markdownTable(
      ["User", "Note"],
      [["alice@contoso.com", "![x](http://e/x.png) [click](http://e) a|b <b>&\n@admins"]],
    );
    expect(header).toBe("| User | Note |");
    expect(rule).toBe("| --- | --- |");
    expect(row).toBe(
      "| alice@contoso.com | \\!\\[x\\](http://e/x.png) \\[click\\](http://e) a\\|b &lt;b&gt;&amp; @\u200badmins |",
    );
  });
});
