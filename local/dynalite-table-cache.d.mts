type Callback = (error: Error | null, value?: unknown) => void;

/** dynalite's key-value wrapper around its table store (callback style). */
export interface TableStore {
  get(key: string, callback: Callback): void;
  put(key: string, value: unknown, callback: Callback): void;
  del(key: string, callback: Callback): void;
  batch(operations: { type: string; key: string; value?: unknown }[], callback: Callback): void;
}

export function rememberTables(tableDb: TableStore): void;
export function rememberDynaliteTables(): void;
