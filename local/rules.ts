import type { LambdaHost } from './lambda-host';
import { type CfnTemplate, resourcesOfType } from './template';

export interface LocalRules {
  stop(): void;
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
