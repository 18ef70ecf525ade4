import type { CounterDeltas } from '../shared/counters';
import type { MemberItem } from '../shared/model';

/** A counter change recorded on the global counters item until the member write it belongs to settles. */
export interface CounterIntent {
  readonly memberId: string;
  readonly version: number;
  readonly deltas: CounterDeltas;
  readonly at: string;
}

/** What the member use cases read and write; `adapters/member-records.ts` is the DynamoDB side. */
export interface MemberRecords {
  /** The member as stored, its profile fields checked, or undefined for an unknown member. */
  get(memberId: string): Promise<MemberItem | undefined>;
  /** Writes the item if the stored version is still `expectedVersion` (undefined: no member yet). */
  putIfVersion(item: MemberItem, expectedVersion: number | undefined): Promise<boolean>;
  /** ADDs the deltas and records the intent, once per marker; false when the marker is already in flight. */
  applyCounterIntent(marker: string, intent: CounterIntent): Promise<boolean>;
  /** Clears an intent, keeping its deltas or taking them back; a no-op when already settled. */
  settleCounterIntent(marker: string, deltas: CounterDeltas, how: 'keep' | 'revert'): Promise<void>;
  /** Every intent still recorded, by marker. */
  counterIntents(): Promise<ReadonlyArray<{ readonly marker: string; readonly intent: CounterIntent }>>;
  /** Members a page at a time, filtered by eligibility and/or tier. */
  list(options: {
    limit: number;
    cursor?: Record<string, unknown>;
    eligible?: boolean;
    tier?: string;
  }): Promise<{ items: MemberItem[]; next?: Record<string, unknown> }>;
}
