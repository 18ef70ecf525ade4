import { Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import { AdminConsole } from './constructs/admin-console';
import { Api } from './constructs/api';
import { Automailer } from './constructs/automailer';
import { Distribution } from './constructs/distribution';
import { EmailFeedback } from './constructs/email-feedback';
import { Ingest } from './constructs/ingest';
import { Monitoring } from './constructs/monitoring';
import { SchedulerWatchdog } from './constructs/scheduler-watchdog';
import { Storage } from './constructs/storage';
import { Verification } from './constructs/verification';

export interface ProleadsStackProps extends StackProps {
  readonly config: AppConfig;
  readonly buildVersion: string;
}

/** The whole pipeline: stateful storage first, then the compute that is handed it as typed props. */
export class ProleadsStack extends Stack {
  readonly storage: Storage;
  readonly api: Api;
  readonly verification: Verification;
  readonly ingest: Ingest;
  readonly distribution: Distribution;
  readonly emailFeedback: EmailFeedback;
  readonly automailer: Automailer;
  readonly watchdog: SchedulerWatchdog;
  readonly monitoring: Monitoring;
  readonly adminConsole: AdminConsole;

  constructor(scope: Construct, id: string, props: ProleadsStackProps) {
    super(scope, id, props);
    const { config } = props;
    // The API's and the upload bucket's CORS origin: the configured one, or else the console's own, which
    // exists only once the console is built below (after the API it calls): resolved at synth.
    const adminOrigin = config.adminOrigin ?? Lazy.string({ produce: () => this.adminConsole.origin });
    this.storage = new Storage(this, 'Storage', {
      adminOrigin,
      rawUploadExpiryDays: config.uploads.rawUploadExpiryDays,
      retainData: config.retainData,
    });
    this.verification = new Verification(this, 'Verification', { config, storage: this.storage });
    this.ingest = new Ingest(this, 'Ingest', {
      config,
      storage: this.storage,
      verificationQueue: this.verification.queue,
    });
    this.automailer = new Automailer(this, 'Automailer', { config });
    this.api = new Api(this, 'Api', {
      config,
      adminOrigin,
      storage: this.storage,
      buildVersion: props.buildVersion,
      automailer: this.automailer,
    });
    this.automailer.meter(this.api.restApi, this.api.partnerMethods, config.automailer);
    this.adminConsole = new AdminConsole(this, 'AdminConsole', {
      config,
      restApi: this.api.restApi,
      accessLogs: this.storage.accessLogs,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      config,
      storage: this.storage,
      adminApi: this.api.functions.admin,
    });
    this.emailFeedback = new EmailFeedback(this, 'EmailFeedback', {
      config,
      storage: this.storage,
      sender: this.distribution.function,
    });
    this.watchdog = new SchedulerWatchdog(this, 'SchedulerWatchdog', {
      config,
      storage: this.storage,
      deadLetterQueues: {
        scheduler: this.distribution.deadLetterQueue,
        ingest: this.ingest.deadLetterQueue,
        verification: this.verification.deadLetterQueue,
        email: this.emailFeedback.deadLetterQueue,
      },
      readers: this.api.functions.admin ? [this.api.functions.admin] : [],
    });
    // Last: it graphs every function of the stack (and its validation names any added after it).
    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      api: this.api,
      ingest: this.ingest,
      verification: this.verification,
      distribution: this.distribution,
      emailFeedback: this.emailFeedback,
    });
  }
}
