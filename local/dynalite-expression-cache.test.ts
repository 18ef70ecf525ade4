import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type ExpressionParser, rememberParses } from './dynalite-expression-cache.mjs';

const require = createRequire(import.meta.url);
const conditionParser = require('dynalite/db/conditionParser.js') as ExpressionParser;
const updateParser = require('dynalite/db/updateParser.js') as ExpressionParser;
const { compare } = require('dynalite/db/index.js') as { compare: unknown };

type Values = Record<string, Record<string, unknown>>;

/** A request's parse context, as dynalite's validation builds it. */
const contextOf = (names: Record<string, string>, values: Values) => ({
  attrNames: names,
  attrVals: values,
  unusedAttrNames: Object.fromEntries(Object.keys(names).map((name) => [name, true])),
  unusedAttrVals: Object.fromEntries(Object.keys(values).map((name) => [name, true])),
  isReserved: (name: string) => name.toUpperCase() === 'ROW',
  compare,
});

const remembering = (parser: ExpressionParser): ExpressionParser => {
  const copy = { parse: parser.parse };
  rememberParses(copy);
  return copy;
};

/** Parses with and without the cache; both answers and what each left on the unused lists. */
const both = (parser: ExpressionParser, cached: ExpressionParser, expression: string, values: Values) => {
  const names = { '#hash': 'hash', '#row': 'row' };
  const fresh = contextOf(names, values);
  const reused = contextOf(names, values);
  return {
    fresh: {
      tree: parser.parse(expression, { context: fresh }),
      names: fresh.unusedAttrNames,
      values: fresh.unusedAttrVals,
    },
    reused: {
      tree: cached.parse(expression, { context: reused }),
      names: reused.unusedAttrNames,
      values: reused.unusedAttrVals,
    },
  };
};

describe('remembered dynalite expression parses', () => {
  it('answer a repeated condition with the tree a fresh parse gives, holding the request values', () => {
    const cached = remembering(conditionParser);
    const claim = 'attribute_not_exists(#hash) OR (uploadId = :uploadId AND #row = :row)';
    for (const row of ['1', '2', '3']) {
      const values = { ':uploadId': { S: `upload-${row}` }, ':row': { N: row }, ':unused': { S: 'x' } };
      const { fresh, reused } = both(conditionParser, cached, claim, values);
      expect(reused).toEqual(fresh);
      expect(JSON.stringify(reused.tree)).toContain(`upload-${row}`);
      expect(reused.values).toEqual({ ':unused': true });
    }
  });

  it('give the same errors when only a value type or a BETWEEN bound differs', () => {
    const cached = remembering(conditionParser);
    for (const value of [{ S: 'a' }, { N: '1' }, { S: 'b' }]) {
      const { fresh, reused } = both(conditionParser, cached, 'begins_with(#hash, :v)', { ':v': value });
      expect(reused).toEqual(fresh);
    }
    const between = '#hash BETWEEN :low AND :high';
    const ordered = both(conditionParser, cached, between, { ':low': { N: '1' }, ':high': { N: '2' } });
    const reversed = both(conditionParser, cached, between, { ':low': { N: '3' }, ':high': { N: '2' } });
    expect(ordered.reused).toEqual(ordered.fresh);
    expect(reversed.reused).toEqual(reversed.fresh);
    expect(reversed.reused.tree).toMatch(/upper bound to be greater than or equal to lower bound/);
  });

  it('take off the unused lists what the expression uses, whatever an earlier expression took', () => {
    const cached = remembering(updateParser);
    const update = 'SET #row = :row ADD #hash :one';
    const names = { '#hash': 'hash', '#row': 'row' };
    // First seen after another expression of its request already used #hash and :one.
    const earlier = {
      ...contextOf(names, { ':row': { N: '1' }, ':one': { N: '1' } }),
      unusedAttrNames: { '#row': true },
      unusedAttrVals: { ':row': true },
    };
    cached.parse(update, { context: earlier });
    expect(earlier.unusedAttrNames).toEqual({});
    const { fresh, reused } = both(updateParser, cached, update, { ':row': { N: '2' }, ':one': { N: '1' } });
    expect(reused).toEqual(fresh);
    expect(reused.names).toEqual({});
  });

  it('hand out copies: changing one answer leaves the next untouched', () => {
    const cached = remembering(updateParser);
    const values = { ':row': { N: '1' }, ':one': { N: '1' } };
    const context = () => contextOf({ '#hash': 'hash', '#row': 'row' }, values);
    const first = cached.parse('SET #row = :row ADD #hash :one', { context: context() }) as {
      sections: unknown[];
    };
    first.sections.length = 0;
    const second = cached.parse('SET #row = :row ADD #hash :one', { context: context() }) as {
      sections: unknown[];
    };
    expect(second.sections).toHaveLength(2);
  });
});
