/**
 * A refusal a person should read: a stable code for programs and tests, a Chinese message for people.
 * Anything else thrown is a bug; the chat layer logs it in English and apologises in Chinese.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
