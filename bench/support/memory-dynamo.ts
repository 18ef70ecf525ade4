import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/**
 * An in-memory DynamoDB at the document-client level, for benchmarks that need 100k+ writes (dynalite does
 * about 700 a second). It executes the commands the pipeline sends — Get, Put, Update, Delete, Query,
 * BatchGet, BatchWrite — with their condition, update, key-condition and filter expressions, and counts
 * every request by operation. Query pages stop at 1 MB read, as DynamoDB's do (sizes estimated from JSON).
 * Not a general emulator: no transactions, no scans, no TTL, no type checks beyond what the code needs.
 */

type Item = Record<string, unknown>;

export interface TableSchema {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly indexes?: Record<string, { partitionKey: string; sortKey?: string }>;
}

const PAGE_BYTES = 1024 * 1024;

// ---------- expressions ----------

type Token = { kind: 'word' | 'op' | 'punct'; text: string };

const tokenize = (expression: string): Token[] => {
  const tokens: Token[] = [];
  const pattern = /\s*(<>|<=|>=|[=<>+-]|[(),]|[#:]?[A-Za-z0-9_.#:-]+)/y;
  let index = 0;
  while (index < expression.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match) {
      if (/^\s*$/.test(expression.slice(index))) break;
      throw new Error(`Cannot read expression at: ${expression.slice(index)}`);
    }
    const text = match[1] as string;
    tokens.push({
      kind: /^[(),]$/.test(text) ? 'punct' : /^(<>|<=|>=|[=<>+-])$/.test(text) ? 'op' : 'word',
      text,
    });
    index = pattern.lastIndex;
  }
  return tokens;
};

type Operand = { kind: 'path'; path: string } | { kind: 'value'; name: string };
type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'call'; name: string; args: Operand[] };

interface Context {
  names: Record<string, string>;
  values: Record<string, unknown>;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.position];
  }
  next(): Token {
    const token = this.tokens[this.position];
    if (!token) throw new Error('Unexpected end of expression');
    this.position += 1;
    return token;
  }
  expect(text: string) {
    const token = this.next();
    if (token.text !== text) throw new Error(`Expected ${text}, got ${token.text}`);
  }
  atKeyword(...keywords: string[]) {
    const token = this.peek();
    return token?.kind === 'word' && keywords.includes(token.text.toUpperCase());
  }
  done() {
    return this.position >= this.tokens.length;
  }
  condition(): Condition {
    let left = this.conjunction();
    while (this.atKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }
  conjunction(): Condition {
    let left = this.negation();
    while (this.atKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }
  negation(): Condition {
    if (this.atKeyword('NOT')) {
      this.next();
      return { kind: 'not', inner: this.negation() };
    }
    return this.primary();
  }
  primary(): Condition {
    if (this.peek()?.text === '(') {
      this.next();
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const word = this.next();
    if (this.peek()?.text === '(') {
      this.next();
      const args: Operand[] = [this.operand()];
      while (this.peek()?.text === ',') {
        this.next();
        args.push(this.operand());
      }
      this.expect(')');
      return { kind: 'call', name: word.text, args };
    }
    const left = this.toOperand(word);
    const op = this.next();
    if (op.kind !== 'op') throw new Error(`Expected a comparison, got ${op.text}`);
    return { kind: 'compare', op: op.text, left, right: this.operand() };
  }
  operand(): Operand {
    return this.toOperand(this.next());
  }
  toOperand(token: Token): Operand {
    return token.text.startsWith(':')
      ? { kind: 'value', name: token.text }
      : { kind: 'path', path: token.text };
  }
}

const resolvePath = (path: string, context: Context) =>
  path.split('.').map((part) => (part.startsWith('#') ? (context.names[part] ?? part) : part));

const getPath = (item: Item, path: string, context: Context): unknown => {
  let current: unknown = item;
  for (const part of resolvePath(path, context)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Item)[part];
  }
  return current;
};

const setPath = (item: Item, path: string, context: Context, value: unknown) => {
  const parts = resolvePath(path, context);
  let current = item;
  for (const part of parts.slice(0, -1)) current = current[part] as Item;
  const last = parts.at(-1) as string;
  if (value === undefined) delete current[last];
  else current[last] = value;
};

const operandValue = (operand: Operand, item: Item, context: Context): unknown =>
  operand.kind === 'value' ? context.values[operand.name] : getPath(item, operand.path, context);

const compare = (op: string, left: unknown, right: unknown): boolean => {
  if (left === undefined || right === undefined) return op === '<>' && left !== right;
  if (op === '=') return left === right;
  if (op === '<>') return left !== right;
  if (typeof left !== typeof right) return false;
  const a = left as number | string;
  const b = right as number | string;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
};

const evaluate = (condition: Condition, item: Item, context: Context): boolean => {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, item, context) && evaluate(condition.right, item, context);
    case 'or':
      return evaluate(condition.left, item, context) || evaluate(condition.right, item, context);
    case 'not':
      return !evaluate(condition.inner, item, context);
    case 'compare':
      return compare(
        condition.op,
        operandValue(condition.left, item, context),
        operandValue(condition.right, item, context),
      );
    case 'call': {
      const [first, second] = condition.args;
      const subject = first ? operandValue(first, item, context) : undefined;
      if (condition.name === 'attribute_exists') return subject !== undefined;
      if (condition.name === 'attribute_not_exists') return subject === undefined;
      const argument = second ? operandValue(second, item, context) : undefined;
      if (condition.name === 'begins_with')
        return typeof subject === 'string' && subject.startsWith(String(argument));
      if (condition.name === 'contains') {
        if (subject instanceof Set) return subject.has(argument);
        if (Array.isArray(subject)) return subject.includes(argument);
        return typeof subject === 'string' && subject.includes(String(argument));
      }
      throw new Error(`Unsupported function ${condition.name}`);
    }
  }
};

type UpdateAction =
  | { kind: 'SET'; path: string; value: Operand; op?: '+' | '-'; second?: Operand }
  | { kind: 'REMOVE'; path: string }
  | { kind: 'ADD' | 'DELETE'; path: string; value: Operand };

const parseUpdate = (expression: string): UpdateAction[] => {
  const parser = new Parser(tokenize(expression));
  const actions: UpdateAction[] = [];
  let clause = '';
  while (!parser.done()) {
    if (parser.atKeyword('SET', 'REMOVE', 'ADD', 'DELETE')) {
      clause = parser.next().text.toUpperCase();
      continue;
    }
    if (parser.peek()?.text === ',') {
      parser.next();
      continue;
    }
    const path = parser.next().text;
    if (clause === 'REMOVE') actions.push({ kind: 'REMOVE', path });
    else if (clause === 'SET') {
      parser.expect('=');
      const value = parser.operand();
      const op = parser.peek()?.text;
      if (op === '+' || op === '-') {
        parser.next();
        actions.push({ kind: 'SET', path, value, op, second: parser.operand() });
      } else actions.push({ kind: 'SET', path, value });
    } else if (clause === 'ADD' || clause === 'DELETE')
      actions.push({ kind: clause, path, value: parser.operand() });
    else throw new Error(`Update expression does not start with a clause: ${expression}`);
  }
  return actions;
};

const applyUpdate = (item: Item, actions: UpdateAction[], context: Context) => {
  for (const action of actions) {
    const current = getPath(item, action.path, context);
    if (action.kind === 'REMOVE') setPath(item, action.path, context, undefined);
    else if (action.kind === 'SET') {
      let value = operandValue(action.value, item, context);
      if (action.op && action.second) {
        const second = operandValue(action.second, item, context) as number;
        value = action.op === '+' ? (value as number) + second : (value as number) - second;
      }
      setPath(item, action.path, context, structuredClone(value));
    } else {
      const value = operandValue(action.value, item, context);
      if (typeof value === 'number') {
        if (action.kind === 'DELETE') throw new Error('DELETE takes a set');
        setPath(item, action.path, context, ((current as number | undefined) ?? 0) + value);
      } else if (value instanceof Set) {
        const next = new Set(current instanceof Set ? current : []);
        for (const element of value) {
          if (action.kind === 'ADD') next.add(element);
          else next.delete(element);
        }
        setPath(item, action.path, context, next.size > 0 ? next : undefined);
      } else throw new Error(`${action.kind} takes a number or a set`);
    }
  }
};

// ---------- the store ----------

const withoutUndefined = (value: unknown): unknown => {
  if (value instanceof Set || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutUndefined);
  return Object.fromEntries(
    Object.entries(value as Item)
      .filter(([, inner]) => inner !== undefined)
      .map(([name, inner]) => [name, withoutUndefined(inner)]),
  );
};

const sizeOf = (item: Item) =>
  JSON.stringify(item, (_, value) => (value instanceof Set ? [...value] : value)).length;

type Input = Record<string, unknown> & {
  TableName?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
};

export class MemoryDynamo {
  /** Requests served, by command name (QueryCommand, BatchWriteCommand, ...). */
  readonly requests = new Map<string, number>();
  private readonly tables = new Map<string, Map<string, Item>>();
  private readonly parsedConditions = new Map<string, Condition>();
  private readonly parsedUpdates = new Map<string, UpdateAction[]>();

  constructor(private readonly schemas: Record<string, TableSchema>) {
    for (const name of Object.keys(schemas)) this.tables.set(name, new Map());
  }

  get totalRequests(): number {
    return [...this.requests.values()].reduce((sum, count) => sum + count, 0);
  }

  resetCounts() {
    this.requests.clear();
  }

  /** The document client's `send`: runs the command and counts it. */
  readonly send = async (command: { constructor: { name: string }; input: unknown }): Promise<unknown> => {
    const name = command.constructor.name;
    this.requests.set(name, (this.requests.get(name) ?? 0) + 1);
    const input = command.input as Input;
    switch (name) {
      case 'GetCommand':
        return { Item: this.copy(this.table(input).get(this.keyOf(input.TableName, input.Key as Item))) };
      case 'PutCommand':
        return this.put(input);
      case 'UpdateCommand':
        return this.update(input);
      case 'DeleteCommand':
        return this.delete(input);
      case 'QueryCommand':
        return this.query(input);
      case 'BatchGetCommand':
        return this.batchGet(input);
      case 'BatchWriteCommand':
        return this.batchWrite(input);
      default:
        throw new Error(`MemoryDynamo does not serve ${name}`);
    }
  };

  private table(input: { TableName?: string }) {
    const table = this.tables.get(input.TableName ?? '');
    if (!table) throw new Error(`No table ${input.TableName}`);
    return table;
  }

  private keyOf(tableName: string | undefined, item: Item): string {
    const schema = this.schemas[tableName ?? ''];
    if (!schema) throw new Error(`No table ${tableName}`);
    return `${String(item[schema.partitionKey])}\u0000${schema.sortKey ? String(item[schema.sortKey]) : ''}`;
  }

  private copy(item: Item | undefined): Item | undefined {
    return item === undefined ? undefined : structuredClone(item);
  }

  private check(input: Input, item: Item | undefined) {
    const expression = input.ConditionExpression as string | undefined;
    if (!expression) return;
    if (!evaluate(this.condition(expression), item ?? {}, this.context(input)))
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  }

  private condition(expression: string): Condition {
    let parsed = this.parsedConditions.get(expression);
    if (!parsed) {
      parsed = new Parser(tokenize(expression)).condition();
      this.parsedConditions.set(expression, parsed);
    }
    return parsed;
  }

  private context(input: Input): Context {
    return { names: input.ExpressionAttributeNames ?? {}, values: input.ExpressionAttributeValues ?? {} };
  }

  private put(input: Input) {
    const item = withoutUndefined(input.Item) as Item;
    const key = this.keyOf(input.TableName, item);
    this.check(input, this.table(input).get(key));
    this.table(input).set(key, structuredClone(item));
    return {};
  }

  private update(input: Input) {
    const keyItem = input.Key as Item;
    const key = this.keyOf(input.TableName, keyItem);
    const existing = this.table(input).get(key);
    this.check(input, existing);
    const item = structuredClone(existing ?? keyItem);
    let actions = this.parsedUpdates.get(input.UpdateExpression as string);
    if (!actions) {
      actions = parseUpdate(input.UpdateExpression as string);
      this.parsedUpdates.set(input.UpdateExpression as string, actions);
    }
    applyUpdate(item, actions, this.context(input));
    this.table(input).set(key, item);
    return input.ReturnValues === 'ALL_NEW' ? { Attributes: structuredClone(item) } : {};
  }

  private delete(input: Input) {
    const key = this.keyOf(input.TableName, input.Key as Item);
    this.check(input, this.table(input).get(key));
    this.table(input).delete(key);
    return {};
  }

  private query(input: Input) {
    const schema = this.schemas[input.TableName ?? ''] as TableSchema;
    const keys = input.IndexName ? schema.indexes?.[input.IndexName as string] : schema;
    if (!keys) throw new Error(`No index ${input.IndexName}`);
    const context = this.context(input);
    const keyCondition = this.condition(input.KeyConditionExpression as string);
    const filter = input.FilterExpression ? this.condition(input.FilterExpression as string) : undefined;
    const sortKey = keys.sortKey;
    const candidates = [...this.table(input).values()]
      .filter((item) => item[keys.partitionKey] !== undefined && (!sortKey || item[sortKey] !== undefined))
      .filter((item) => evaluate(keyCondition, item, context))
      .sort((a, b) => {
        const left = String(sortKey ? a[sortKey] : '');
        const right = String(sortKey ? b[sortKey] : '');
        const order =
          left < right
            ? -1
            : left > right
              ? 1
              : this.keyOf(input.TableName, a) < this.keyOf(input.TableName, b)
                ? -1
                : 1;
        return input.ScanIndexForward === false ? -order : order;
      });
    let start = 0;
    const exclusive = input.ExclusiveStartKey as Item | undefined;
    if (exclusive) {
      const after = this.keyOf(input.TableName, exclusive);
      start = candidates.findIndex((item) => this.keyOf(input.TableName, item) === after) + 1;
    }
    const limit = (input.Limit as number | undefined) ?? Number.POSITIVE_INFINITY;
    const items: Item[] = [];
    let read = 0;
    let bytes = 0;
    let index = start;
    for (; index < candidates.length && read < limit && bytes < PAGE_BYTES; index += 1) {
      const item = candidates[index] as Item;
      read += 1;
      bytes += sizeOf(item);
      if (!filter || evaluate(filter, item, context)) items.push(structuredClone(item));
    }
    const last = candidates[index - 1];
    const more = index < candidates.length && last !== undefined;
    const lastKey = more
      ? Object.fromEntries(
          [schema.partitionKey, schema.sortKey, keys.partitionKey, keys.sortKey]
            .filter((name): name is string => name !== undefined)
            .map((name) => [name, last[name]]),
        )
      : undefined;
    return { Items: items, Count: items.length, ScannedCount: read, LastEvaluatedKey: lastKey };
  }

  private batchGet(input: Input) {
    const responses: Record<string, Item[]> = {};
    for (const [tableName, request] of Object.entries(
      input.RequestItems as Record<string, { Keys: Item[] }>,
    )) {
      if (request.Keys.length > 100) throw new Error('BatchGetItem takes at most 100 keys');
      const table = this.table({ TableName: tableName });
      responses[tableName] = request.Keys.map((key) => table.get(this.keyOf(tableName, key)))
        .filter((item): item is Item => item !== undefined)
        .map((item) => structuredClone(item));
    }
    return { Responses: responses, UnprocessedKeys: {} };
  }

  private batchWrite(input: Input) {
    const requests = Object.entries(
      input.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>,
    );
    if (requests.reduce((sum, [, list]) => sum + list.length, 0) > 25)
      throw new Error('BatchWriteItem takes at most 25 requests');
    for (const [tableName, list] of requests) {
      const table = this.table({ TableName: tableName });
      for (const request of list) {
        if (request.PutRequest) {
          const item = withoutUndefined(request.PutRequest.Item) as Item;
          table.set(this.keyOf(tableName, item), structuredClone(item));
        } else if (request.DeleteRequest) table.delete(this.keyOf(tableName, request.DeleteRequest.Key));
      }
    }
    return { UnprocessedItems: {} };
  }
}

/** The pipeline's four tables, as storage.ts defines them. */
export const pipelineTables = (names: {
  uploads: string;
  members: string;
  control: string;
}): Record<string, TableSchema> => ({
  [names.uploads]: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: {
      byState: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      byCreation: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    },
  },
  [names.members]: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: {
      eligible: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      directory: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
      byTier: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    },
  },
  [names.control]: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: { byRunId: { partitionKey: 'runId', sortKey: 'pk' } },
  },
});
