/** One of dynalite's generated expression parsers (its module object). */
export interface ExpressionParser {
  parse(expression: string, options?: { context?: object }): unknown;
}

export function rememberParses(parser: ExpressionParser): void;
export function rememberDynaliteParses(): void;
