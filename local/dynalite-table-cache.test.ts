import { describe, expect, it } from 'vitest';
import { rememberTables, type TableStore } from './dynalite-table-cache.mjs';

/** A store like dynalite's: answers on a later turn, counts its reads. */
const fakeStore = () => {
  const data = new Map<string, unknown>();
  const store = {
    reads: 0,
    get(key: string, callback: (error: Error | null, value?: unknown) => void) {
      store.reads += 1;
      const value = data.get(key);
      setImmediate(() =>
        value === undefined
          ? callback(Object.assign(new Error('NotFound'), { name: 'NotFoundError' }))
          : callback(null, structuredClone(value)),
      );
    },
    put(key: string, value: unknown, callback: (error: Error | null) => void) {
      data.set(key, structuredClone(value));
      setImmediate(callback, null);
    },
    del(key: string, callback: (error: Error | null) => void) {
      data.delete(key);
      setImmediate(callback, null);
    },
    batch(
      operations: { type: string; key: string; value?: unknown }[],
      callback: (error: Error | null) => void,
    ) {
      for (const { type, key, value } of operations)
        type === 'del' ? data.delete(key) : data.set(key, structuredClone(value));
      setImmediate(callback, null);
    },
  } satisfies TableStore & { reads: number };
  return store;
};

const promised = <T>(call: (callback: (error: Error | null, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) =>
    call((error, value) => (error ? reject(error) : resolve(value))),
  );

describe('remembered dynalite table descriptions', () => {
  it('read the store once per table, and answer copies', async () => {
    const store = fakeStore();
    rememberTables(store);
    await promised((done) => store.put('Leads', { TableStatus: 'ACTIVE' }, done));
    const first = (await promised<unknown>((done) => store.get('Leads', done))) as { TableStatus: string };
    first.TableStatus = 'CHANGED BY A CALLER';
    expect(await promised((done) => store.get('Leads', done))).toEqual({ TableStatus: 'ACTIVE' });
    expect(store.reads).toBe(1);
  });

  it('read the store again after a table is written or deleted', async () => {
    const store = fakeStore();
    rememberTables(store);
    await promised((done) => store.put('Leads', { TableStatus: 'CREATING' }, done));
    await promised((done) => store.get('Leads', done));
    await promised((done) => store.put('Leads', { TableStatus: 'ACTIVE' }, done));
    expect(await promised((done) => store.get('Leads', done))).toEqual({ TableStatus: 'ACTIVE' });
    await promised((done) =>
      store.batch([{ type: 'put', key: 'Leads', value: { TableStatus: 'UPDATING' } }], done),
    );
    expect(await promised((done) => store.get('Leads', done))).toEqual({ TableStatus: 'UPDATING' });
    await promised((done) => store.del('Leads', done));
    await expect(promised((done) => store.get('Leads', done))).rejects.toThrow('NotFound');
  });

  it('do not remember a read that started before a write', async () => {
    const store = fakeStore();
    rememberTables(store);
    await promised((done) => store.put('Leads', { TableStatus: 'ACTIVE' }, done));
    const before = promised((done) => store.get('Leads', done));
    store.put('Leads', { TableStatus: 'DELETING' }, () => undefined);
    await before;
    expect(await promised((done) => store.get('Leads', done))).toEqual({ TableStatus: 'DELETING' });
  });
});
