/**
 * Error types. Every error raised on bad input names where the problem is (file, line, field)
 * and what was expected, so a user can fix the input without reading our code.
 */

export interface InputLocation {
  /** Path of the offending file, if the input came from a file. */
  file?: string;
  /** 1-based line number in that file. */
  line?: number;
  /** Name of the offending field, column, option or parameter. */
  field?: string;
}

/** Bad input from a user: a malformed file, an inconsistent array, an out-of-range option. */
export class XasInputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  readonly expected?: string;

  constructor(message: string, where: InputLocation & { expected?: string } = {}) {
    super(formatLocated(message, where));
    this.name = 'XasInputError';
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
    this.expected = where.expected;
  }
}

/** A numerical procedure could not produce a trustworthy result (singular matrix, no convergence). */
export class XasNumericalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XasNumericalError';
  }
}

function formatLocated(message: string, where: InputLocation & { expected?: string }): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.line !== undefined ? `${where.file}:${where.line}` : where.file);
  else if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.field) parts.push(`field '${where.field}'`);
  let text = parts.length > 0 ? `${parts.join(', ')}: ${message}` : message;
  if (where.expected) text += ` (expected ${where.expected})`;
  return text;
}

/** Throws XasInputError unless every value is finite; `what` names the array for the message. */
export function assertFinite(values: ArrayLike<number>, what: string, where: InputLocation = {}): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new XasInputError(`${what}[${i}] is ${values[i]}`, { ...where, expected: 'finite numbers' });
    }
  }
}
