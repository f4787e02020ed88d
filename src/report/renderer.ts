/** What every renderer is told: whether to use ANSI colours (formats without colour ignore it). */
export interface RendererOptions {
  /** The CLI sets it for a TTY without NO_COLOR or --no-color. */
  readonly color: boolean;
}

/**
 * One output format of one model: `(model, options) => string`, pure. Each
 * model has a `Record<Format, Renderer>` of them, which is what its command's
 * `--format` chooses from.
 */
export type Renderer<Model, Options extends RendererOptions = RendererOptions> = (
  model: Model,
  options: Options,
) => string;

/** The formats of a registry, in its order (the first is the default). */
export function formatsOf<Format extends string>(
  registry: Readonly<Record<Format, unknown>>,
): readonly Format[] {
  return Object.keys(registry) as Format[];
}
