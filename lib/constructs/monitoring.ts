import { Duration, Stack } from 'aws-cdk-lib';
import {
  ComparisonOperator,
  type Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  type CustomThreshold,
  DefaultDashboardFactory,
  type MaxMessageCountThreshold,
  MonitoringFacade,
  SnsAlarmActionStrategy,
} from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import {
  DISTRIBUTION_METRICS,
  EMAIL_FEEDBACK_METRICS,
  INGEST_METRICS,
  INGEST_SWEEP_METRICS,
  METRICS_NAMESPACE,
  serviceOf,
  VERIFICATION_METRICS,
  WATCHDOG_METRICS,
} from '../../lambdas/contracts/metrics';
import type { AppConfig } from '../config';
import type { Api } from './api';
import type { Distribution } from './distribution';
import type { EmailFeedback } from './email-feedback';
import type { Ingest } from './ingest';
import { ProleadsFunction } from './lambda-function';
import type { Verification } from './verification';

export interface MonitoringProps {
  readonly config: AppConfig;
  readonly api: Api;
  readonly ingest: Ingest;
  readonly verification: Verification;
  readonly distribution: Distribution;
  readonly emailFeedback: EmailFeedback;
}

/**
 * SES reviews an account whose bounce rate reaches 5% or whose complaint rate reaches 0.1% (and may pause
 * its sending at 10% and 0.5%): the alarms fire before that, while there is still time to act.
 */
export const SES_BOUNCE_RATE_ALARM = 0.04;
export const SES_COMPLAINT_RATE_ALARM = 0.0008;

/** Below this many verifier requests in the window, one failed attempt is no "rate" worth waking anyone for. */
export const VERIFIER_ERROR_RATE_MIN_REQUESTS = 10;

/** Shown at the top of the dashboard, for people who do not read logs. */
const HOW_TO_READ = `
**How to read this dashboard.** Each graph covers the time range picked at the top right; each point sums (or,
for levels, takes the worst of) a few minutes. A red line on a graph is an alarm's threshold: when a line
crosses it, the alarm fires and an email goes to the alarm list (and another when it is back to normal).

* **Distribution**: runs and failed runs, leads handed out per run, and the **shortfall** (leads members were
  owed but did not get, because supply ran out). Any failed run alarms.
* **Scheduler and supply**: schedules whose run is overdue (should always be 0) and **weeks of supply left**
  at the current weekly demand. Both alarm.
* **Uploads**: rows read from uploaded files, and how many were accepted, duplicates (in the same file, or of
  an earlier upload) or rejected.
* **Verification**: verified leads by result and reason, and how the email verifier service is doing (requests,
  errors, time per request). A high error rate alarms.
* **Queues**: the *dead-letter* queues hold work that failed for good; they should be empty. Any message there
  alarms. **API**: client errors (4xx, usually the caller's fault), server errors (5xx, ours: alarm) and speed.
* **Functions** (at the bottom, for engineers): errors, throttles and durations of every function.

What to do when an alarm fires: README, section "Monitoring".
`.trim();

/**
 * The stack's monitoring, in one place: the SNS alarm topic (KMS-encrypted, TLS only, email subscription
 * from configuration), every alarm of the stack (each sends to the topic on ALARM and on OK), and one
 * dashboard per stage. Built last, from the constructs it watches; it graphs every function of the stack.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config, api, ingest, verification, distribution, emailFeedback } = props;
    const { monitoring: settings, stage } = config;
    const name = `Proleads-${stage}`;

    this.topic = this.alarmTopic(name, settings.alarmEmail);
    const dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: name,
      createDashboard: true,
      createSummaryDashboard: false,
      createAlarmDashboard: false,
      detailDashboardRange: Duration.days(7),
    });
    const facade = new MonitoringFacade(this, 'Facade', {
      alarmFactoryDefaults: {
        alarmNamePrefix: name,
        actionsEnabled: true,
        // OK too: whoever got the ALARM email learns that it is over without opening the console.
        action: new SnsAlarmActionStrategy({ onAlarmTopic: this.topic, onOkTopic: this.topic }),
        datapointsToAlarm: 1,
      },
      metricFactoryDefaults: { namespace: METRICS_NAMESPACE },
      dashboardFactory: dashboards,
    });
    if (!dashboards.dashboard) throw new Error('the detail dashboard was not created');
    this.dashboard = dashboards.dashboard;

    facade.addLargeHeader(`Proleads lead pipeline (${stage})`);
    facade.addWidget(new TextWidget({ markdown: HOW_TO_READ, width: 24, height: 9 }));

    const distributionMetric = appMetric('distribution');
    facade.monitorCustom({
      alarmFriendlyName: 'Distribution',
      humanReadableName: 'Distribution',
      metricGroups: [
        {
          title: 'Runs and failed runs',
          metrics: [
            distributionMetric(DISTRIBUTION_METRICS.runs, 'Sum', 'Runs'),
            {
              metric: distributionMetric(DISTRIBUTION_METRICS.runFailures, 'Sum', 'Failed runs'),
              alarmFriendlyName: 'DistributionRun',
              addAlarm: {
                Failed: alarmOf(
                  'A lead distribution run failed. It is retried automatically, but members may not get their leads on time. Check "GET /admin/distributions" for the error; if the retries fail too, the run lands in the distribution dead-letter queue (its own alarm). README, "Monitoring".',
                  { threshold: 0, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD },
                  TreatMissingData.NOT_BREACHING,
                ),
              },
            },
          ],
        },
        {
          title: 'Leads assigned per run',
          metrics: [distributionMetric(DISTRIBUTION_METRICS.leadsAssigned, 'Sum', 'Leads assigned')],
        },
        {
          title: 'Shortfall (leads owed but not available)',
          metrics: [
            distributionMetric(DISTRIBUTION_METRICS.leadShortfall, 'Sum', 'Leads short'),
            distributionMetric(DISTRIBUTION_METRICS.membersShort, 'Sum', 'Members short'),
          ],
        },
      ],
    });

    const watchdogMetric = appMetric('scheduler-watchdog');
    facade.monitorCustom({
      alarmFriendlyName: 'SchedulerAndSupply',
      humanReadableName: 'Scheduler and supply',
      metricGroups: [
        {
          title: 'Overdue schedules',
          metrics: [
            {
              metric: watchdogMetric(WATCHDOG_METRICS.overdueSchedules, 'Maximum', 'Overdue schedules'),
              alarmFriendlyName: 'Schedule',
              addAlarm: {
                // 3 of 3 five-minute points: the watchdog already allows a run its slack, and one late or lost
                // datapoint of an every-few-minutes publisher must not page anyone.
                Overdue: alarmOf(
                  'A distribution schedule is overdue: its latest run has not succeeded in time, OR the scheduler watchdog has stopped reporting (then nobody can tell whether schedules run). Check "GET /admin/scheduler/health" and the distribution runs; if the watchdog reports nothing, check its function. README, "Monitoring".',
                  {
                    threshold: 1,
                    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                    period: Duration.minutes(5),
                    evaluationPeriods: 3,
                    datapointsToAlarm: 3,
                  },
                  TreatMissingData.BREACHING,
                ),
              },
            },
          ],
        },
        {
          title: 'Weeks of supply left',
          metrics: [
            {
              metric: watchdogMetric(WATCHDOG_METRICS.supplyWeeksLeft, 'Minimum', 'Weeks left'),
              alarmFriendlyName: 'Supply',
              addAlarm: {
                // Hourly: supply changes with uploads and runs, never within minutes; nobody needs paging sooner.
                Low: alarmOf(
                  `Fewer than ${settings.supplyWeeksAlarmBelow} weeks of verified leads are left at the current weekly demand. Upload more lead files soon, or members will start falling short. README, "Monitoring".`,
                  {
                    threshold: settings.supplyWeeksAlarmBelow,
                    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
                    period: Duration.hours(1),
                  },
                  TreatMissingData.NOT_BREACHING,
                ),
              },
            },
          ],
        },
      ],
    });

    const ingestMetric = appMetric('ingest');
    const sweeperMetric = appMetric('stale-upload-sweeper');
    facade.monitorCustom({
      alarmFriendlyName: 'Uploads',
      humanReadableName: 'Uploads (rows of lead files)',
      metricGroups: [
        {
          title: 'Rows read and their results',
          metrics: [
            ingestMetric(INGEST_METRICS.rowsRead, 'Sum', 'Rows read'),
            ingestMetric(INGEST_METRICS.accepted, 'Sum', 'Accepted'),
            ingestMetric(INGEST_METRICS.duplicateInFile, 'Sum', 'Duplicate in the file'),
            ingestMetric(INGEST_METRICS.duplicateOfEarlier, 'Sum', 'Duplicate of an earlier upload'),
            ingestMetric(INGEST_METRICS.rejected, 'Sum', 'Rejected'),
          ],
        },
        {
          title: 'Stuck uploads (the stale-upload sweeper)',
          metrics: [
            sweeperMetric(INGEST_SWEEP_METRICS.stuckUploads, 'Maximum', 'Stuck uploads'),
            sweeperMetric(INGEST_SWEEP_METRICS.resumed, 'Sum', 'Resumed from their checkpoint'),
            {
              metric: sweeperMetric(INGEST_SWEEP_METRICS.failed, 'Sum', 'Given up'),
              alarmFriendlyName: 'StaleUpload',
              addAlarm: {
                GivenUp: alarmOf(
                  'An upload stayed stuck in "ingesting" (no progress, nobody holding it) through every resume the stale-upload sweeper tried: it now shows "failed" with the last error. Fix the cause, then redrive it (README, "Uploading leads").',
                  { threshold: 1, comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD },
                  TreatMissingData.NOT_BREACHING,
                ),
              },
            },
          ],
        },
      ],
    });

    this.monitorVerification(facade, settings.verifierErrorRateAlarmPercent);
    this.monitorEmail(facade);

    facade.addLargeHeader('Queues and API');
    // The same alarm for every dead-letter queue: any message there is work that failed for good.
    facade
      .monitorSqsQueueWithDlq({
        queue: ingest.continuationQueue,
        deadLetterQueue: ingest.deadLetterQueue,
        alarmFriendlyName: 'Ingest',
        humanReadableName: 'Ingest continuations (and the ingest dead-letter queue)',
        addDeadLetterQueueMaxSizeAlarm: deadLetterAlarm(
          'An upload could not be read into leads after its retries: the upload shows "failed" with the reason and the attempt is parked in the ingest dead-letter queue. Fix the cause, then redrive (README, "Uploading leads").',
        ),
      })
      .monitorSqsQueueWithDlq({
        queue: verification.queue,
        deadLetterQueue: verification.deadLetterQueue,
        alarmFriendlyName: 'Verification',
        humanReadableName: 'Verification queue (and its dead-letter queue)',
        addDeadLetterQueueMaxSizeAlarm: deadLetterAlarm(
          'Leads could not be verified after repeated attempts (verifier down, or a broken message): they wait in the verification dead-letter queue and are not distributed. Fix the cause, then move the messages back (README, "Verification").',
        ),
      })
      .monitorSqsQueue({
        queue: distribution.deadLetterQueue,
        alarmFriendlyName: 'DistributionDeadLetters',
        humanReadableName: 'Distribution dead-letter queue (failed scheduled runs)',
        addQueueMaxSizeAlarm: deadLetterAlarm(
          'A scheduled lead distribution failed for good (the scheduler or the function gave up after retries): members did not get that run. Read the parked message, fix the cause, then start a run with "POST /admin/distributions" (README, "Schedules and distribution").',
        ),
      })
      .monitorSqsQueue({
        queue: emailFeedback.deadLetterQueue,
        alarmFriendlyName: 'EmailFeedbackDeadLetters',
        humanReadableName: 'Email feedback dead-letter queue (bounces and complaints not recorded)',
        addQueueMaxSizeAlarm: deadLetterAlarm(
          'An SES bounce or complaint event could not be recorded after retries: that member’s address may not be marked and may be mailed again. Read the parked event, fix the cause, then mark the member by replaying it (README, "Email: bounces and complaints").',
        ),
      })
      .monitorApiGateway({
        api: api.restApi,
        apiStage: api.restApi.deploymentStage.stageName,
        alarmFriendlyName: 'Api',
        humanReadableName: 'API (admin, member and AutoMailer routes)',
        add5XXFaultCountAlarm: {
          ServerErrors: {
            maxErrorCount: settings.api5xxAlarmCount,
            period: Duration.minutes(5),
            datapointsToAlarm: 1,
            evaluationPeriods: 1,
            treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
            alarmDescriptionOverride: `The API answered more than ${settings.api5xxAlarmCount} requests with a server error (5xx) in 5 minutes: admins, members or AutoMailer are getting failures. Look at the API functions' errors below and their logs. README, "Monitoring".`,
          },
        },
      });

    facade.addLargeHeader('Functions (errors, throttles, durations)');
    const functions = stackFunctions(Stack.of(this));
    for (const fn of functions) {
      const label = `${fn.node.scope?.node.id ?? ''}${fn.node.id}`;
      facade.monitorLambdaFunction({
        lambdaFunction: fn,
        alarmFriendlyName: label,
        humanReadableName: `${fn.folder} (${label})`,
      });
    }
    // A function added to the stack after this construct would be missing from the dashboard: say so.
    this.node.addValidation({
      validate: () =>
        stackFunctions(Stack.of(this))
          .filter((fn) => !functions.includes(fn))
          .map((fn) => `${fn.node.path} is not on the dashboard: create Monitoring after every function`),
    });
  }

  /**
   * The account's sending reputation as SES computes it (AWS/SES `Reputation.BounceRate` and
   * `Reputation.ComplaintRate`, fractions over a representative window), alarmed below the rates at which SES
   * reviews the account, and the bounces and complaints the feedback function recorded.
   */
  private monitorEmail(facade: MonitoringFacade) {
    const reputation = (metricName: string, label: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        statistic: 'Maximum',
        period: Duration.hours(1),
        label,
      });
    const feedback = (metricName: string, label: string) =>
      appMetric('email-feedback')(metricName, 'Sum', label);
    const percent = (rate: number) => `${Math.round(rate * 10_000) / 100}%`;
    const rateAlarm = (what: string, rate: number, reviewAt: string) =>
      alarmOf(
        `The account's email ${what} rate is above ${percent(rate)}: SES puts the account under review at ${reviewAt} and may pause all sending. Marked addresses are no longer mailed; look at recent bounces and complaints (members with a marked address, GET /admin/members), the quality of the member addresses synced, and the notification's content. README, "Email: bounces and complaints".`,
        { threshold: rate, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD },
        TreatMissingData.NOT_BREACHING,
      );
    facade.addLargeHeader('Email (SES)');
    facade.monitorCustom({
      alarmFriendlyName: 'Email',
      humanReadableName: 'Notification email deliverability',
      metricGroups: [
        {
          title: 'Bounce and complaint rates (SES, account)',
          metrics: [
            {
              metric: reputation('Reputation.BounceRate', 'bounce rate'),
              alarmFriendlyName: 'SesBounceRate',
              addAlarm: { High: rateAlarm('bounce', SES_BOUNCE_RATE_ALARM, '5%') },
            },
            {
              metric: reputation('Reputation.ComplaintRate', 'complaint rate'),
              alarmFriendlyName: 'SesComplaintRate',
              addAlarm: { High: rateAlarm('complaint', SES_COMPLAINT_RATE_ALARM, '0.1%') },
            },
          ],
        },
        {
          title: 'Bounces and complaints recorded',
          metrics: [
            feedback(EMAIL_FEEDBACK_METRICS.hardBounces, 'hard bounces (marked)'),
            feedback(EMAIL_FEEDBACK_METRICS.complaints, 'complaints (marked)'),
            feedback(EMAIL_FEEDBACK_METRICS.softBounces, 'soft bounces'),
          ],
        },
      ],
    });
  }

  /** Verified leads by outcome and reason, the verifier's requests, errors and latency, and the error-rate alarm. */
  private monitorVerification(facade: MonitoringFacade, errorRatePercent: number) {
    const verificationMetric = appMetric('verification');
    const window = Duration.minutes(15);
    const requests = verificationMetric(VERIFICATION_METRICS.verifierRequests, 'Sum', 'Requests', window);
    const errors = verificationMetric(VERIFICATION_METRICS.verifierErrors, 'Sum', 'Errors', window);
    const errorRate = new MathExpression({
      // No value (so no alarm) below the minimum: one retried 429 among three requests is not an outage.
      expression: `IF(requests >= ${VERIFIER_ERROR_RATE_MIN_REQUESTS}, 100 * errors / requests)`,
      usingMetrics: { requests, errors },
      label: 'Error rate (%)',
      period: window,
    });
    // Reasons come from the verification policy and may grow: a search graphs whichever exist.
    const outcomes = new GraphWidget({
      title: 'Verified leads by result and reason',
      width: 24,
      height: 6,
      left: [
        new MathExpression({
          expression: `SEARCH('{${METRICS_NAMESPACE},outcome,reason,service} MetricName="${VERIFICATION_METRICS.verifiedLeads}" service="${serviceOf('verification')}"', 'Sum', 300)`,
          usingMetrics: {},
          label: '',
          period: Duration.minutes(5),
        }),
      ],
    });
    facade.addLargeHeader('Verification').addWidget(outcomes);
    facade.monitorCustom({
      alarmFriendlyName: 'Verifier',
      humanReadableName: 'Email verifier service',
      metricGroups: [
        {
          title: 'Verifier requests and errors (attempts, retries included)',
          metrics: [
            verificationMetric(VERIFICATION_METRICS.verifierRequests, 'Sum', 'Requests'),
            verificationMetric(VERIFICATION_METRICS.verifierErrors, 'Sum', 'Errors'),
          ],
        },
        {
          title: 'Verifier time per request (ms)',
          metrics: [
            verificationMetric(VERIFICATION_METRICS.verifierLatency, 'p50', 'median'),
            verificationMetric(VERIFICATION_METRICS.verifierLatency, 'p90', 'p90'),
            verificationMetric(VERIFICATION_METRICS.verifierLatency, 'Maximum', 'slowest'),
          ],
        },
        {
          title: 'Verifier error rate (%)',
          metrics: [
            {
              metric: errorRate,
              alarmFriendlyName: 'VerifierErrorRate',
              addAlarm: {
                High: alarmOf(
                  `More than ${errorRatePercent}% of requests to the email verifier failed in the last 15 minutes (rate limits, server errors, timeouts or unusable answers). Verification slows down and, if it lasts, leads park in the verification dead-letter queue. Check the verifier service's status; lower verifier.maxConcurrency if it is rate limiting us. README, "Monitoring".`,
                  {
                    threshold: errorRatePercent,
                    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                    period: window,
                  },
                  TreatMissingData.NOT_BREACHING,
                ),
              },
            },
          ],
        },
      ],
    });
  }

  /**
   * The alarm topic. A customer-managed key, since CloudWatch must be allowed to use it and the AWS-managed
   * SNS key's policy cannot say so; the topic policy admits this account's alarms only, over TLS.
   */
  private alarmTopic(name: string, alarmEmail: string | undefined): Topic {
    const stack = Stack.of(this);
    const key = new Key(this, 'AlarmTopicKey', {
      description: `${name}: encrypts the alarm topic`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `${name} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*' }),
          },
        },
      }),
    );
    if (alarmEmail) topic.addSubscription(new EmailSubscription(alarmEmail));
    return topic;
  }
}

/** A metric of one of our functions (Powertools EMF: the app's namespace, the function's service dimension). */
const appMetric =
  (folder: string) =>
  (metricName: string, statistic: string, label: string, period = Duration.minutes(5)) =>
    new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: serviceOf(folder) },
      statistic,
      label,
      period,
    });

/** A custom alarm: our description replaces the library's generated one; one period unless said otherwise. */
const alarmOf = (
  description: string,
  threshold: Pick<CustomThreshold, 'threshold' | 'comparisonOperator'> &
    Partial<Pick<CustomThreshold, 'period' | 'evaluationPeriods' | 'datapointsToAlarm'>>,
  treatMissingData: TreatMissingData,
): CustomThreshold => ({
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  ...threshold,
  treatMissingDataOverride: treatMissingData,
  alarmDescriptionOverride: description,
});

/** The one dead-letter alarm: the most visible messages in a minute above zero; an empty queue reports nothing. */
const deadLetterAlarm = (description: string): Record<string, MaxMessageCountThreshold> => ({
  NotEmpty: {
    maxMessageCount: 0,
    period: Duration.minutes(1),
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
    alarmDescriptionOverride: description,
  },
});

/** Every function of the stack, in construct order. */
const stackFunctions = (stack: Stack): ProleadsFunction[] =>
  stack.node.findAll().filter((node): node is ProleadsFunction => node instanceof ProleadsFunction);
