/**
 * Verification throughput on the local stack: N leads (default 5,000) of one upload, in messages of 100 as
 * ingest sends them, through fauxqs, the SQS event source at the template's batch size and
 * MaximumConcurrency, the verification function, the verifier stand-in over HTTP, and dynalite.
 * 2% of the leads have a dead domain, so their messages come back once for the delayed re-check (delay 0
 * here, so the run measures work, not waiting).
 * Run: `npm run bench -- verification [leads]`. Prints leads per second and verifier requests per lead
 * (target: 1/100 plus one request per re-checked message), then one JSON line.
 */

import {
  readUpload,
  recountUpload,
  seedUpload,
  sendMessages,
  storedUploadCounters,
} from '../fixtures/verification';
import { startLocalStack } from '../local/runtime';
import { synthTemplate } from '../local/synth';

const leadEmail = (index: number) => {
  if (index % 50 === 7) return `lead${index}@gone-${index}.invalid`; // dead domain: re-checked once
  if (index % 50 === 21) return `lead${index}@mailinator.com`; // disposable
  return `lead${index}@example.com`;
};

export const runVerificationBench = async (leadCount = 5_000) => {
  const stack = await startLocalStack({
    template: synthTemplate(),
    env: {
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      VERIFICATION_POLICY: JSON.stringify({ recheckDelaySeconds: 0 }),
    },
  });
  try {
    const verifyFunctions = stack.lambdas.functionsOf('verification');
    const mapping = stack.eventSources.mappings.find((candidate) =>
      verifyFunctions.includes(candidate.functionLogicalId),
    );
    const verifier = stack.verifier;
    if (!mapping || !verifier) throw new Error('the local stack has the verification mapping and stand-in');
    const seeded = await seedUpload(
      stack,
      Array.from({ length: leadCount }, (_, index) => leadEmail(index)),
    );
    verifier.reset();

    const started = performance.now();
    await sendMessages(stack, seeded.messages);
    await stack.eventSources.waitForIdle({ timeoutMs: 30 * 60_000 });
    const seconds = (performance.now() - started) / 1000;

    const upload = await readUpload(stack, seeded.uploadId);
    const stored = await storedUploadCounters(stack, seeded.uploadId);
    const recount = await recountUpload(stack, seeded.uploadId);
    if (upload?.state !== 'queued' || JSON.stringify(stored) !== JSON.stringify(recount)) {
      throw new Error(
        `run did not settle cleanly: ${JSON.stringify({ state: upload?.state, stored, recount })}`,
      );
    }
    const stats = verifier.stats();
    const result = {
      bench: 'verification',
      leads: leadCount,
      messages: seeded.messages.length,
      batchSize: mapping.batchSize,
      maxConcurrency: mapping.maxConcurrency,
      seconds: Number(seconds.toFixed(2)),
      leadsPerSecond: Math.round(leadCount / seconds),
      verifierRequests: stats.batchRequests,
      verifierRequestsPerLead: Number((stats.batchRequests / leadCount).toFixed(4)),
      emailsAskedPerLead: Number((stats.emailsChecked / leadCount).toFixed(4)),
      deliverable: stored.deliverable,
      undeliverable: stored.undeliverable,
    };
    console.log(`Verified ${leadCount} leads in ${result.messages} messages in ${result.seconds} s`);
    console.log(
      `  ${result.leadsPerSecond} leads/s at MaximumConcurrency ${result.maxConcurrency} x batch ${result.batchSize}`,
    );
    console.log(
      `  ${result.verifierRequests} verifier requests = ${result.verifierRequestsPerLead} per lead (1/100 = 0.01, plus re-checks)`,
    );
    console.log(`  ${result.deliverable} deliverable, ${result.undeliverable} rejected; counters = recount`);
    console.log(
      '  Locally the bound is dynalite (about 700 writes/s), not the verifier: about 2 writes per lead.',
    );
    console.log(JSON.stringify(result));
    return result;
  } finally {
    await stack.stop();
  }
};

/** `npm run bench -- verification [leads]` */
export const main = async ([leads]: string[]) => runVerificationBench(Number(leads) || undefined);
