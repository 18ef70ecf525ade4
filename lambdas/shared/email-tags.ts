/**
 * The message tag every notification carries: the member's id, so a bounce or complaint event (which
 * echoes the tags of the mail it is about) names its member without a lookup by address. SES tag values
 * allow only letters, digits, `_` and `-`, and member ids may hold `.` and `:`: the id travels as base64url.
 */
export const MEMBER_TAG_NAME = 'member';

export const memberTag = (memberId: string) => ({
  Name: MEMBER_TAG_NAME,
  Value: Buffer.from(memberId, 'utf8').toString('base64url'),
});

/** The member id a tag value carries; undefined when it is not one `memberTag` made. */
export const memberIdFromTag = (value: string | undefined): string | undefined => {
  if (!value || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  const memberId = Buffer.from(value, 'base64url').toString('utf8');
  return memberTag(memberId).Value === value ? memberId : undefined;
};
