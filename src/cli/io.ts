/**
 * Everything a command may do to the outside world besides Graph: write text,
 * know whether it talks to a terminal, read the environment. Tests pass a
 * recording implementation; `main.ts` passes the process.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  /** Width of the terminal on stderr, when it is one (progress bars fit it). */
  readonly stderrColumns?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Asks a question on the terminal and resolves with the answer (only when stdinIsTTY). */
  prompt?(question: string): Promise<string>;
}

/** An io that records what was written; for tests and for embedding. */
export class RecordingIo implements CliIo {
  out = "";
  err = "";
  stdoutIsTTY = false;
  stderrIsTTY = false;
  stdinIsTTY = false;
  env: Record<string, string | undefined>;
  cwd: string;
  answers: string[];

  constructor(options: { env?: Record<string, string | undefined>; cwd?: string; answers?: string[] } = {}) {
    this.env = options.env ?? {};
    this.cwd = options.cwd ?? process.cwd();
    this.answers = [...(options.answers ?? [])];
    if (options.answers) this.stdinIsTTY = true;
  }

  stdout(text: string): void {
    this.out += text;
  }

  stderr(text: string): void {
    this.err += text;
  }

  async prompt(question: string): Promise<string> {
    this.err += question;
    return this.answers.shift() ?? "";
  }
}
