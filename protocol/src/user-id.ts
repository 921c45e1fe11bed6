/**
 * What a user id may be. Braces are excluded because ids end up inside Redis Cluster hash tags
 * (`{u:ID}`), and a brace would move a user's keys to another slot.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9_.@:-]{1,128}$/;

export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID_PATTERN.test(value);
}
