/**
 * Every error code Quad answers with, once: its HTTP status and what it means. Routes list the
 * codes they may return (published per operation in the OpenAPI document); the web app turns
 * codes into sentences. A code not listed here does not compile.
 */
export const ERROR_CATALOG = {
  // 400: the request is wrong; `fields` (when present) name the field and the rule.
  VALIDATION_FAILED: { status: 400, meaning: 'The request does not match the route’s schema or a field rule; fields say which and why.' },
  BAD_REQUEST: { status: 400, meaning: 'The request could not be read (malformed URL, JSON or headers).' },
  INVALID_TIME_ZONE: { status: 400, meaning: 'The time zone is not an IANA name such as America/New_York.' },
  INVALID_DATES: { status: 400, meaning: 'Dates are inconsistent (an end before its start, a release before the end).' },
  INVALID_VALUE: { status: 400, meaning: 'A value is out of the range the database accepts.' },
  INVALID_ANSWERS: { status: 400, meaning: 'Answers break a rule of their questions (word limits, choices, required questions).' },
  INVALID_QUESTION: { status: 400, meaning: 'A question’s settings contradict each other (e.g. choices on a free-text question).' },
  ORDER_MISMATCH: { status: 400, meaning: 'A new order must name every question of the application exactly once.' },
  DATES_REQUIRED: { status: 400, meaning: 'A standalone application needs its own start and end.' },
  DATES_FROM_CYCLE: { status: 400, meaning: 'An application in a cycle takes the cycle’s dates unless an administrator grants it its own.' },
  NOT_IN_CYCLE: { status: 400, meaning: 'The application is standalone; a cycle-only setting does not apply.' },
  UNKNOWN_CATEGORY: { status: 400, meaning: 'The category does not exist.' },
  UNKNOWN_CHOICE: { status: 400, meaning: 'A choice does not belong to its question.' },
  UNKNOWN_CLUB: { status: 400, meaning: 'A club named in the body does not exist.' },
  UNKNOWN_COMMITTEE: { status: 400, meaning: 'A committee does not belong to this application.' },
  UNKNOWN_REFERENCE: { status: 400, meaning: 'An id in the body refers to nothing.' },
  UNKNOWN_TAG: { status: 400, meaning: 'A tag slug in the body does not exist.' },
  UNKNOWN_SUBMISSIONS: { status: 400, meaning: 'Some ids are not submitted applications of this application.' },
  EXTERNAL_URL_REQUIRED: { status: 400, meaning: 'An external application needs the address of its form.' },
  EXTERNAL_URL_NOT_ALLOWED: { status: 400, meaning: 'An internal application is filled in on Quad and has no external address.' },
  EXTENSION_BEFORE_DEADLINE: { status: 400, meaning: 'An extension cannot end before the application does.' },
  EXTENSION_AFTER_RELEASE: { status: 400, meaning: 'An extension cannot run past the release of results.' },
  MAX_COMMITTEES_OVER_CAP: { status: 400, meaning: 'The application allows more committees per applicant than its cycle does.' },
  WORD_CAP_EXCEEDED: { status: 400, meaning: 'A committee’s questions together allow more words than its cycle’s cap.' },
  PROFILE_INCOMPLETE: { status: 400, meaning: 'The cycle requires a complete profile (graduation year, school, major) before applying.' },
  EMPTY_NOTE: { status: 400, meaning: 'A review note needs text or a score.' },
  CANNOT_RESEND: { status: 400, meaning: 'A decision email can be sent again only to applicants who were sent one.' },
  OIDC_FAILED: { status: 400, meaning: 'The identity provider’s answer was not valid (state, nonce or code).' },
  OIDC_NO_EMAIL: { status: 400, meaning: 'The identity provider did not give a verified email.' },

  // 401, 403: who you are, and what you may do.
  UNAUTHENTICATED: { status: 401, meaning: 'Sign in first.' },
  BAD_CREDENTIALS: { status: 401, meaning: 'Wrong email or password.' },
  FORBIDDEN: { status: 403, meaning: 'Your role does not allow this.' },
  CSRF_FAILED: { status: 403, meaning: 'The X-CSRF-Token header is missing or does not match the session.' },
  OWNERS_ONLY: { status: 403, meaning: 'Only the club’s owners may do this.' },
  ROLE_ABOVE_OWN: { status: 403, meaning: 'You cannot give a role above your own.' },
  INVITE_EMAIL_MISMATCH: { status: 403, meaning: 'The invite was sent to another email address.' },

  NOT_FOUND: { status: 404, meaning: 'Nothing here (or nothing you may see).' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The body is larger than the server accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'Send JSON (Content-Type: application/json).' },

  // 409: the request is fine, the state is not (try again after changing something).
  ALREADY_MEMBER: { status: 409, meaning: 'The person is already a member of the club.' },
  ALREADY_SUBMITTED: { status: 409, meaning: 'This application was already submitted.' },
  APPLICATION_HAS_SUBMISSIONS: { status: 409, meaning: 'Students have started the application; deactivate it instead of deleting it.' },
  CHOICE_IN_USE: { status: 409, meaning: 'Applicants picked a choice being removed.' },
  CODE_TAKEN: { status: 409, meaning: 'Another club has this address.' },
  COMMITTEES_FROZEN: { status: 409, meaning: 'Committees are frozen once the application has opened (a rule of its cycle).' },
  COMMITTEE_CHOSEN: { status: 409, meaning: 'Applicants chose this committee; it cannot be removed.' },
  COMMITTEE_EXISTS: { status: 409, meaning: 'The application already has a committee with that name.' },
  CYCLE_ENDED: { status: 409, meaning: 'The cycle has ended.' },
  CYCLE_HAS_APPLICATIONS: { status: 409, meaning: 'The cycle still has applications.' },
  CYCLE_NAME_TAKEN: { status: 409, meaning: 'Another cycle has this name.' },
  DEADLINE_PASSED: { status: 409, meaning: 'The deadline (or your extension) has passed.' },
  DUPLICATE_CHOICE: { status: 409, meaning: 'Two choices would have the same label.' },
  EMAIL_TAKEN: { status: 409, meaning: 'An account with this email exists.' },
  EXTERNAL_APPLICATION: { status: 409, meaning: 'This application is filled in elsewhere, not on Quad.' },
  INVITE_PENDING: { status: 409, meaning: 'The person already has an open invite to this club.' },
  INVITE_USED: { status: 409, meaning: 'The invite was already accepted.' },
  INVITE_REVOKED: { status: 409, meaning: 'The invite was withdrawn by the club.' },
  INVITE_EXPIRED: { status: 409, meaning: 'The invite is past its validity; ask the club for a new one.' },
  TAG_EXISTS: { status: 409, meaning: 'A tag with this name or slug exists.' },
  BADGE_EXISTS: { status: 409, meaning: 'A badge with this name or slug exists.' },
  LAST_OWNER: { status: 409, meaning: 'A club always keeps an owner.' },
  NOT_ACCEPTING: { status: 409, meaning: 'The club is not accepting members now.' },
  NOT_OPEN: { status: 409, meaning: 'The application is not open yet.' },
  NOT_PENDING: { status: 409, meaning: 'The club is not waiting for approval.' },
  NO_CURRENT_CYCLE: { status: 409, meaning: 'No cycle is taking applications; name one.' },
  QUESTION_HAS_RESPONSES: { status: 409, meaning: 'Submitted applications answer this question; it cannot be removed.' },
  REQUEST_DECIDED: { status: 409, meaning: 'The request to join was already decided.' },
  RELEASE_BEFORE_EXTENSION: { status: 409, meaning: 'An applicant’s extension ends after the new results release; change or revoke the extension first.' },
  REQUEST_PENDING: { status: 409, meaning: 'You already asked to join this club.' },
  RESULTS_NOT_RELEASED: { status: 409, meaning: 'Decisions can be sent once results are released.' },
  REVISION_DECIDED: { status: 409, meaning: 'The revision was already approved or rejected.' },
  REVISION_STALE: { status: 409, meaning: 'The revision refers to something that no longer exists.' },
  SAME_CYCLE: { status: 409, meaning: 'The application is already in this cycle.' },

  IDEMPOTENCY_KEY_REUSED: { status: 422, meaning: 'The Idempotency-Key was used for different content; send a new key.' },
  RATE_LIMITED: { status: 429, meaning: 'Too many attempts; Retry-After says when to try again.' },

  // 5xx: not the caller's fault. Unexpected errors are logged and never show internals.
  INTERNAL: { status: 500, meaning: 'Something went wrong on the server; it was logged.' },
  QUERY_BUDGET_EXCEEDED: { status: 500, meaning: 'Tests only: the route ran more SQL statements than it declares.' },
  UNAVAILABLE: { status: 503, meaning: 'The database is unavailable; Retry-After says when to try again.' },
  OVERLOADED: { status: 503, meaning: 'The server is busy and refused the request before it started; retry after Retry-After.' },
  QUERY_CANCELLED: { status: 503, meaning: 'The request took too long and was cancelled.' },
  OIDC_UNAVAILABLE: { status: 503, meaning: 'The identity provider does not answer.' },
} as const satisfies Record<string, { status: number; meaning: string }>

export type ErrorCode = keyof typeof ERROR_CATALOG

export const statusOf = (code: ErrorCode): number => ERROR_CATALOG[code].status

/**
 * Codes of `fields[].code`: the JSON Schema keyword in upper case for schema violations
 * (MINLENGTH, PATTERN, FORMAT, TYPE, REQUIRED, ADDITIONALPROPERTIES, …), or one of these rules.
 */
export const FIELD_CODES = {
  REQUIRED: 'A value is needed.',
  BLANK: 'Only spaces: write something.',
  UNKNOWN: 'Refers to nothing that exists.',
  INVALID: 'Not a valid value for this field.',
  DUPLICATE: 'Given twice.',
  NOT_FOUND: 'Refers to nothing you may use.',
  NOT_ALLOWED: 'Not allowed for this kind of item.',
  BEFORE_START: 'Ends before it starts.',
  BEFORE_END: 'Must come after the end.',
  BEFORE_EXTENSION: 'Must come after every extension granted.',
  INVALID_DATES: 'Dates out of order.',
  TIME_ZONE: 'Not an IANA time zone.',
  TOO_LONG: 'Longer than allowed.',
  TOO_MANY: 'More than allowed.',
  TOO_FEW: 'Fewer than needed.',
  TOO_MANY_WORDS: 'More words than the question allows.',
  WORD_CAP_EXCEEDED: 'More words than the committee’s cap.',
  OVER_CAP: 'Above the cycle’s cap.',
  INVALID_CHOICE: 'Not one of the question’s choices.',
  SINGLE_CHOICE: 'This question takes one choice.',
  NOT_A_TEXT_QUESTION: 'This question takes choices, not text.',
  UNKNOWN_QUESTION: 'Not a question of this application.',
  UNKNOWN_TAG: 'No such tag.',
  UNKNOWN_CATEGORY: 'No such category.',
  NO_DECISION: 'No decision to send yet.',
  NOT_SENT: 'Never sent, so it cannot be sent again.',
} as const
