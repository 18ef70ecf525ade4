import type { LambdaHost } from './lambda-host';
import { type CfnTemplate, resourcesOfType } from './template';

export interface LocalRules {
  stop(): void;
}

/** The default event bus's pattern rules: an event put on it reaches the functions whose rules match it. */
export interface LocalEventBus {
  /** Invokes every function target of every rule the event matches, in turn; resolves with their results. */
  put(event: Record<string, unknown>): Promise<unknown[]>;
}

type Props = Record<string, unknown>;

const RATE = /^rate\((\d+) (minute|minutes|hour|hours)\)$/;

/** `rate(5 minutes)` in milliseconds; undefined for anything else (cron rules have none here). */
export const rateMs = (expression: string): number | undefined => {
  const match = RATE.exec(expression);
  if (!match) return undefined;
  return Number(match[1]) * (match[2]?.startsWith('hour') ? 3_600_000 : 60_000);
};

/**
 * Plays the template's scheduled EventBridge rules (`rate(...)`) for `npm start`: each target function is
 * invoked at the rule's rate with a Scheduled Event, as EventBridge does (the stale-upload sweeper, the
 * scheduler watchdog). A failed tick is logged and left to the next one, like their `retryAttempts: 0`.
 */
export const startLocalRules = (template: CfnTemplate, lambdas: LambdaHost): LocalRules => {
  const timers: NodeJS.Timeout[] = [];
  for (const [ruleId, resource] of resourcesOfType(template, 'AWS::Events::Rule')) {
    const props = (resource.Properties ?? {}) as Props;
    const every = typeof props.ScheduleExpression === 'string' ? rateMs(props.ScheduleExpression) : undefined;
    if (every === undefined) continue;
    for (const target of (props.Targets ?? []) as Props[]) {
      const functionId = ((target.Arn as Props | undefined)?.['Fn::GetAtt'] as string[] | undefined)?.[0];
      if (!functionId) continue;
      const tick = () => {
        const event = {
          version: '0',
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          time: new Date().toISOString(),
          resources: [`local:rule/${ruleId}`],
          detail: {},
        };
        lambdas.invoke(functionId, event).catch((error: unknown) => {
          console.error(
            `local rule ${ruleId} -> ${functionId} failed: ${(error as Error)?.message ?? error}`,
          );
        });
      };
      timers.push(setInterval(tick, every));
    }
  }
  return {
    stop() {
      for (const timer of timers) clearInterval(timer);
    },
  };
};

type Pattern = { readonly [key: string]: readonly (string | number | boolean | null)[] | Pattern };

/**
 * Whether an event matches an EventBridge event pattern: every key of the pattern must match, a list
 * matches a value equal to one of its entries (any element of an array value), an object matches the
 * nested object. Content filters (prefix, numeric, anything-but...) are not played: a rule using one is
 * refused when the bus starts, not silently matched.
 */
export const matchesPattern = (pattern: Pattern, value: unknown): boolean =>
  Object.entries(pattern).every(([key, expected]) => {
    const actual = (value as Record<string, unknown> | undefined)?.[key];
    if (!Array.isArray(expected)) return matchesPattern(expected as Pattern, actual);
    const actuals = Array.isArray(actual) ? actual : [actual];
    return expected.some((allowed) => actuals.includes(allowed));
  });

const assertPlayable = (pattern: unknown, ruleId: string): void => {
  for (const expected of Object.values(pattern as Record<string, unknown>)) {
    if (Array.isArray(expected)) {
      if (expected.some((entry) => entry !== null && typeof entry === 'object'))
        throw new Error(`local event bus: rule ${ruleId} uses a content filter, which it does not play`);
    } else assertPlayable(expected, ruleId);
  }
};

/**
 * Plays the template's event-pattern rules on the default bus (the SES feedback rule): `put` hands an
 * event to the target functions of the rules it matches, as EventBridge does for an event AWS publishes.
 */
export const createLocalEventBus = (template: CfnTemplate, lambdas: LambdaHost): LocalEventBus => {
  const rules: { pattern: Pattern; functionIds: string[] }[] = [];
  for (const [ruleId, resource] of resourcesOfType(template, 'AWS::Events::Rule')) {
    const props = (resource.Properties ?? {}) as Props;
    if (!props.EventPattern || props.EventBusName) continue;
    assertPlayable(props.EventPattern, ruleId);
    const functionIds = ((props.Targets ?? []) as Props[])
      .map((target) => ((target.Arn as Props | undefined)?.['Fn::GetAtt'] as string[] | undefined)?.[0])
      .filter((id): id is string => id !== undefined);
    rules.push({ pattern: props.EventPattern as Pattern, functionIds });
  }
  return {
    async put(event) {
      const results: unknown[] = [];
      for (const rule of rules.filter((candidate) => matchesPattern(candidate.pattern, event)))
        for (const functionId of rule.functionIds) results.push(await lambdas.invoke(functionId, event));
      return results;
    },
  };
};
