import { Duration, Stack } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_ENV } from '../../lambdas/contracts/env';
import type { AppConfig } from '../config';
import { DeadLetterQueue } from './dead-letter-queue';
import { ProleadsFunction } from './lambda-function';
import type { Storage } from './storage';

/** The EventBridge detail-types of the SES events the feedback function acts on (see lambdas/email-feedback). */
export const SES_FEEDBACK_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'];

export interface EmailFeedbackProps {
  readonly config: AppConfig;
  readonly storage: Storage;
  /** The function that sends the notifications: it sends through the configuration set. */
  readonly sender: ProleadsFunction;
}

/**
 * What comes back from the emails we send: the stage's SES configuration set (every notification goes
 * through it), its event destination that publishes bounces and complaints to the account's default
 * EventBridge bus, the rule that hands this configuration set's events to the email-feedback function (which
 * marks the member's address), and that rule's dead-letter queue. It lets the sender send through the set.
 */
export class EmailFeedback extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly function: ProleadsFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EmailFeedbackProps) {
    super(scope, id);
    const { config, storage, sender } = props;
    const stack = Stack.of(this);
    const configurationSetName = `proleads-${config.stage}`;

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName,
      // Bounce and complaint rates of this set's mail, per configuration set, next to the account's.
      reputationMetrics: true,
    });
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.eventBus(defaultBus),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    this.function = new ProleadsFunction(this, 'EmailFeedbackFn', {
      folder: 'email-feedback',
      description: 'Marks a member’s address when SES reports a hard bounce or a complaint',
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: {
        TIERS: JSON.stringify(config.tiers),
        MAX_ASSIGNMENTS_PER_LEAD: String(config.maxAssignmentsPerLead),
        DEFAULT_TIME_ZONE: config.distribution.timeZone,
      },
    });
    this.function
      .bindTable(storage.members, TABLE_ENV.members, [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ])
      .bindTable(storage.control, TABLE_ENV.control, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      deadLetterQueueOf: 'the SES feedback rule’s target',
    });
    new Rule(this, 'FeedbackRule', {
      description: `Hands SES bounces and complaints of configuration set ${configurationSetName} to the email-feedback function`,
      eventPattern: {
        source: ['aws.ses'],
        detailType: SES_FEEDBACK_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': [configurationSetName] } } },
      },
      targets: [
        new LambdaFunction(this.function, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });

    // SES v2 authorizes a send against the configuration set too, not only the sender identity.
    sender.addEnvironment('SES_CONFIGURATION_SET', configurationSetName);
    sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: configurationSetName,
          }),
        ],
      }),
    );
  }
}
