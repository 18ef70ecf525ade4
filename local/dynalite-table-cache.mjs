// Remembers dynalite's table descriptions in its worker. dynalite reads a table's description from its store
// on every item request (a BatchGetItem of 100 keys reads it 100 times), and with a data folder each read is
// a LevelDB lookup: it was the largest single cost of a persistent `npm start` pipeline.
//
// Every write of a description goes through the same store wrapper (create, update and delete table), so
// the cache forgets a table when it is written and learns it again at the next read; a read that started
// before a write is not remembered. Each read answers a copy, as a fresh decode from the store would.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const db = require(path.join(path.dirname(require.resolve('dynalite')), 'db', 'index.js'));

/** Wraps one store wrapper's `get`, `put`, `del` and `batch` with the cache. */
export const rememberTables = (tableDb) => {
  const { get, put, del, batch } = tableDb;
  const remembered = new Map();
  const writes = new Map();
  const forget = (key) => {
    remembered.delete(key);
    writes.set(key, (writes.get(key) ?? 0) + 1);
  };
  tableDb.get = (key, callback) => {
    if (remembered.has(key)) {
      const table = structuredClone(remembered.get(key));
      return void setImmediate(callback, null, table);
    }
    const writesBefore = writes.get(key) ?? 0;
    get.call(tableDb, key, (error, table) => {
      if (!error && table && (writes.get(key) ?? 0) === writesBefore)
        remembered.set(key, structuredClone(table));
      callback(error, table);
    });
  };
  tableDb.put = (key, value, callback) => {
    forget(key);
    return put.call(tableDb, key, value, callback);
  };
  tableDb.del = (key, callback) => {
    forget(key);
    return del.call(tableDb, key, callback);
  };
  tableDb.batch = (operations, callback) => {
    for (const operation of operations) forget(operation.key);
    return batch.call(tableDb, operations, callback);
  };
};

/** Puts the cache in front of the table store of every dynalite this thread creates from now on. */
export const rememberDynaliteTables = () => {
  const create = db.create;
  db.create = (options) => {
    const store = create(options);
    rememberTables(store.tableDb);
    return store;
  };
};
