// The error a failed start is reported with: one plain line, no stack.

/** Error the CLI shows as a one-line message (no stack). */
export class BootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootError';
  }
}
