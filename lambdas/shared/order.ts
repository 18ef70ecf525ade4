/**
 * Orders strings by UTF-16 code unit: the order DynamoDB gives sort keys, and the right one for ids, ISO
 * timestamps, week keys and ASCII names. Not `localeCompare`, which orders by a language's rules and loads
 * ICU's collation the first time a process calls it (milliseconds of a cold start).
 */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
