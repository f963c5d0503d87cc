/**
 * Names of the server's runtime that its port types mention (the inspection's crawl takes an `AbortSignal`).
 * The mini-program imports the server's DTO types only; these never exist at run time here, so a shape is enough.
 */
interface AbortSignal {
  readonly aborted: boolean;
}
