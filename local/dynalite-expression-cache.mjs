// Remembers what dynalite's expression parsers made of an expression, so that the same condition or update
// expression sent again (the functions send a handful of them, thousands of times each) costs a copy of the
// parse tree instead of a parse: parsing was about half of dynalite's work on the local pipeline.
//
// A parse depends on the expression, the attribute names, and of the attribute values only their types (the
// tree holds the values themselves, which a copy swaps for the request's own), except for BETWEEN bounds and
// attribute_type's argument, whose contents are checked: those expressions are keyed by the values too.
// Whatever the parse does to the request's unused-names and unused-values lists is replayed on a reuse, so the
// answer, error messages included, is the one a fresh parse gives.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const dynaliteDir = path.dirname(require.resolve('dynalite'));

const MAX_ENTRIES = 2000;
const CONTENT_CHECKED = /between|attribute_type/i;

/** Where a value of the request sits in a remembered parse tree. */
class ValueSlot {
  constructor(name) {
    this.name = name;
  }
}

const isPlainObject = (node) => {
  const prototype = Object.getPrototypeOf(node);
  return prototype === Object.prototype || prototype === null;
};

/** A copy of a parse tree: its own arrays and objects, with `swap` deciding what each node becomes. */
const copyTree = (node, swap) => {
  const swapped = swap(node);
  if (swapped !== undefined) return swapped;
  if (Array.isArray(node)) return node.map((child) => copyTree(child, swap));
  if (node === null || typeof node !== 'object' || !isPlainObject(node)) return node;
  const copy = Object.create(Object.getPrototypeOf(node));
  for (const key of Object.keys(node)) copy[key] = copyTree(node[key], swap);
  return copy;
};

const typesOf = (values) =>
  Object.entries(values)
    .map(
      ([name, value]) =>
        `${name}=${value && typeof value === 'object' ? Object.keys(value).join(',') : typeof value}`,
    )
    .join(';');

const cacheKey = (expression, context) => {
  const values = context.attrVals ?? {};
  return [
    expression,
    JSON.stringify(context.attrNames ?? null),
    CONTENT_CHECKED.test(expression) ? JSON.stringify(values) : typesOf(values),
  ].join('\u0000');
};

/** Wraps one parser module's `parse` with the cache. */
export const rememberParses = (parser) => {
  const parse = parser.parse;
  const remembered = new Map();
  // Parses with fresh unused-lists, so the names and values the expression uses are known whatever other
  // expressions of the same request took off the lists before it.
  const remember = (key, expression, options, context) => {
    const values = context.attrVals ?? {};
    const names = Object.keys(context.attrNames ?? {});
    const valueNames = Object.keys(values);
    const probe = {
      ...context,
      unusedAttrNames: Object.fromEntries(names.map((name) => [name, true])),
      unusedAttrVals: Object.fromEntries(valueNames.map((name) => [name, true])),
    };
    const result = parse(expression, { ...options, context: probe });
    const slotOf = new Map(Object.entries(values).map(([name, value]) => [value, new ValueSlot(name)]));
    const entry = {
      tree: copyTree(result, (node) => slotOf.get(node)),
      usedNames: names.filter((name) => !(name in probe.unusedAttrNames)),
      usedValues: valueNames.filter((name) => !(name in probe.unusedAttrVals)),
    };
    if (remembered.size >= MAX_ENTRIES) remembered.clear();
    remembered.set(key, entry);
    return entry;
  };
  parser.parse = (expression, options) => {
    const context = options?.context;
    if (!context || typeof expression !== 'string') return parse(expression, options);
    const key = cacheKey(expression, context);
    const values = context.attrVals ?? {};
    const entry = remembered.get(key) ?? remember(key, expression, options, context);
    for (const name of entry.usedNames) delete context.unusedAttrNames?.[name];
    for (const name of entry.usedValues) delete context.unusedAttrVals?.[name];
    return copyTree(entry.tree, (node) => (node instanceof ValueSlot ? values[node.name] : undefined));
  };
};

/** Puts the cache in front of dynalite's condition, update and projection parsers (this thread's dynalite). */
export const rememberDynaliteParses = () => {
  for (const name of ['conditionParser', 'updateParser', 'projectionParser'])
    rememberParses(require(path.join(dynaliteDir, 'db', `${name}.js`)));
};
