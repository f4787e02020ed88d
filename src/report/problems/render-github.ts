import { summaryLine, type ProblemRenderer } from "./validation-report.js";

// GitHub workflow commands: data escapes %, CR, LF; properties also ':' and ','.
const escapeData = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** GitHub Actions annotations (`::error file=...,line=...,col=...::message`), then the summary. */
export const renderProblemsGithub: ProblemRenderer = (report) => {
  const lines = report.problems.map((p) => {
    const properties = [
      ...(p.location
        ? [`file=${escapeProperty(p.location.file)}`, `line=${p.location.line}`, `col=${p.location.column}`]
        : []),
      `title=${escapeProperty(`licensectl ${p.code}`)}`,
    ];
    const text = p.hint ? `${p.message}\n${p.hint}` : p.message;
    return `::${p.severity} ${properties.join(",")}::${escapeData(text)}`;
  });
  lines.push(summaryLine(report));
  return `${lines.join("\n")}\n`;
};
