import * as z from '../../shared/zod';

/**
 * The query of a member's ledger, in the admin API and the member API alike. A module of its own: the member
 * API parses only this of the member contract, and its cold start does not build the rest.
 */
export const MemberLedgerQuerySchema = z.strictObject({
  weeks: z
    ._default(z.wholeNumberIn(1, 53, 'must be a whole number of weeks, 1-53', { coerced: true }), 12)
    .check(z.meta({ description: 'how many weeks back, this one included (default 12)' })),
});
