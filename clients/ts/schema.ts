/**
 * The Staylane REST API's types, generated from openapi.json by `npm run client:generate`
 * (openapi-typescript). Do not edit: change the routes, regenerate openapi.json, then this.
 */

export interface paths {
  '/v1/auth/register': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create an account
     * @description Creates a guest (or host) account and signs it in. E-mails are unique, case-insensitively. Limited per client address: 10 calls a minute for one e-mail, and `AUTH_RATE_LIMIT_PER_MINUTE` (30) across e-mails, shared with the other auth calls and with GraphQL (429 with `Retry-After`).
     */
    post: operations['register'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign in with e-mail and password
     * @description Answers 401 alike for an unknown e-mail and a wrong password. After 5 failures within 15 minutes for one e-mail, answers 429 until the window ends (attempts are counted before the password is checked, so parallel attempts cannot slip past 5). Limited per client address: 10 calls a minute for one e-mail, and `AUTH_RATE_LIMIT_PER_MINUTE` (30) across e-mails, shared with the other auth calls and with GraphQL (429 with `Retry-After`).
     */
    post: operations['login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Exchange a refresh token for a new token pair
     * @description Refresh tokens are single-use: each call returns a new one. Presenting a token that was already used revokes every token of its session (401). Limited per client address with the other auth calls (`AUTH_RATE_LIMIT_PER_MINUTE`).
     */
    post: operations['refreshTokens'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Revoke a session
     * @description Ends the session of the refresh token: its refresh and access tokens answer 401 from then on. Unknown tokens are ignored (still 204).
     */
    post: operations['logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/verify-email': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Confirm an e-mail address with the token sent at registration
     * @description The token comes from the link in the verification e-mail; it works once, for one hour. Answers 200 with the user (`emailVerified: true`); 422 `invalid_token` when the token is unknown, expired or already used. Limited per client address with the other auth calls (`AUTH_RATE_LIMIT_PER_MINUTE`).
     */
    post: operations['verifyEmail'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/verify-email/resend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * E-mail the address-verification link again
     * @description Always answers 202, at the same speed, whether or not the e-mail has an account: when it has, is not verified yet and is not suspended, a new single-use link valid for one hour is e-mailed. At most one e-mail every 2 minutes and 5 a day reach one address (counted with password-reset e-mails), whoever asks; past that the answer is still 202 and nothing is sent. Limited per client address like the other auth calls (429 with `Retry-After`).
     */
    post: operations['resendVerificationEmail'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/password-reset/request': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * E-mail a password-reset link
     * @description Always answers 202, at the same speed, whether or not the e-mail has an account: when it has (and is not suspended), a single-use link valid for one hour is e-mailed. At most one e-mail every 2 minutes and 5 a day reach one address (counted with verification resends), whoever asks; past that the answer is still 202 and nothing is sent. Limited per client address: 10 calls a minute for one e-mail, and `AUTH_RATE_LIMIT_PER_MINUTE` (30) across e-mails, shared with the other auth calls and with GraphQL (429 with `Retry-After`).
     */
    post: operations['requestPasswordReset'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/password-reset/confirm': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Set a new password with the token of a reset e-mail
     * @description The token works once, for one hour; the password follows the registration rules (422 with the reason). On success (204) every session of the account ends (its refresh tokens and access tokens answer 401 from then on), other reset links stop working and the address counts as verified. 422 `invalid_token` when the token is unknown, expired or already used. Limited per client address with the other auth calls (`AUTH_RATE_LIMIT_PER_MINUTE`).
     */
    post: operations['confirmPasswordReset'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in user */
    get: operations['getMe'];
    put?: never;
    post?: never;
    /**
     * Close your account
     * @description Needs the current password: a wrong one answers 403 `wrong_password` and counts as a failed sign-in of the account’s e-mail (after 5 in 15 minutes, 429). 409 `has_active_stays` while you have a pending or confirmed booking, as guest or host, whose check-out day has not passed. Otherwise, in one commit: your name, e-mail, phone and password are erased (the e-mail can register again), every session and e-mailed link ends (access tokens answer 401 at once), your listed places are unlisted, and what others and the books need (bookings, payments, reviews, your side of conversations, audit entries) is kept under the anonymous author “Former member”. An audit entry `user.closed` records it.
     */
    delete: operations['closeMyAccount'];
    options?: never;
    head?: never;
    /**
     * Update the signed-in user
     * @description Only `firstName`, `lastName` and `phone` (null clears it) can change here.
     */
    patch: operations['updateMe'];
    trace?: never;
  };
  '/v1/auth/logout-all': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign out everywhere
     * @description Ends every session of the caller, this one included: every refresh and access token issued to the account answers 401 from the next call on, and open subscription sockets close.
     */
    post: operations['logoutAll'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Change the password
     * @description Needs the current password: a wrong one answers 403 `wrong_password` and counts as a failed login for the account (after 5 in 15 minutes, 429 until the window ends, for logins too). The new password follows the registration rules (422 with the reason). On success (204) every other session ends at once (its tokens answer 401); the caller’s own goes on, and pending reset links stop working.
     */
    post: operations['changePassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The caller’s sessions
     * @description Every sign-in (register or login) of the account that has not ended, newest first: when it began, when it was last used (sign-in or token refresh), the client address and user agent last seen, and `current` for the session of the token that asks. Keyset-paginated.
     */
    get: operations['listMySessions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/sessions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * End one of the caller’s sessions
     * @description Its refresh and access tokens answer 401 from the next call on. 404 for an unknown, ended or another user’s session. Ending the current session signs the caller out.
     */
    delete: operations['endMySession'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/become-host': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Turn a guest account into a host account
     * @description A host is also a guest. 409 when the account is already a host or an admin.
     */
    post: operations['becomeHost'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List users (admins)
     * @description Newest first, keyset-paginated.
     */
    get: operations['listUsers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Suspend or reactivate a user (admins)
     * @description A suspended user gets 403 on every authenticated call and their sessions are revoked. A closed account (its owner closed it) stays closed: 409 `account_closed`.
     */
    patch: operations['setUserStatus'];
    trace?: never;
  };
  '/v1/admin/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The audit trail (admins)
     * @description Sensitive actions, newest first, keyset-paginated, filtered by action, actor, entity, client address and time; each with where its address is.
     */
    get: operations['listAuditEntries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Background jobs (admins)
     * @description Outbox jobs newest first, keyset-paginated, filtered by state and kind. Payloads are not shown.
     */
    get: operations['listJobs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/jobs/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Retry a dead job (admins)
     * @description Puts a dead job back to pending, due now, with its attempts reset; recorded in the audit trail as `job.retried`. 409 `job_not_dead` for a job in any other state.
     */
    post: operations['retryJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/mail-deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * E-mail deliveries (admins)
     * @description The delivery log, latest claim first, keyset-paginated: one entry per de-duplication key, without bodies. `state=in_doubt` lists the keys claimed for sending longer ago than MAIL_SENDING_TIMEOUT_SECONDS and never marked sent, to resolve one by one. REST only, like the other admin job operations.
     */
    get: operations['listMailDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/mail-deliveries/{key}/resolve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Resolve an e-mail in doubt (admins)
     * @description After checking the mail server's log: `sent` marks the key sent (nothing is sent); `resend` releases it (`failed`) and makes the job that claimed it run again at once, in the same transaction, so its handler sends the e-mail. Recorded in the audit trail as `mail.resolved`. 409 `mail_not_in_doubt` for a key sent, failed or claimed less than MAIL_SENDING_TIMEOUT_SECONDS ago; 409 `mail_job_missing` (`resend`) when no job can send it again, `mail_job_running` while that job runs. REST only.
     */
    post: operations['resolveMailDelivery'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/blocked-ips': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The IP block list (admins)
     * @description Blocked addresses and CIDR ranges, newest first, keyset-paginated. A blocked address gets 403 `ip_blocked` on every route but `/healthz`, before authentication.
     */
    get: operations['listBlockedIps'];
    put?: never;
    /**
     * Block an address or range (admins)
     * @description Adds an IPv4/IPv6 address or CIDR range (host bits are cleared: `203.0.113.7/24` is stored as `203.0.113.0/24`). It takes effect at once on the process that answered and within `BLOCKLIST_REFRESH_SECONDS` (10 s) on the others. Refused: ranges wider than /8 (IPv4) or /16 (IPv6) and ranges covering the caller’s own address (422), a range already listed or a list already holding 10,000 ranges (409). Recorded in the audit trail as `ip.blocked`.
     */
    post: operations['blockIp'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/blocked-ips/{ip}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Unblock an address or range (admins)
     * @description Removes the listed range given in any spelling (`203.0.113.7` is `203.0.113.7/32`). Recorded in the audit trail as `ip.unblocked`.
     */
    delete: operations['unblockIp'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/suspicious-ips': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Addresses flagged by the hourly sweep (admins)
     * @description One entry per address and hour in which it made more than `SUSPICIOUS_REQUESTS_PER_HOUR` (1,000) requests or called admin routes without being an admin (401/403), newest hour first; kept 90 days. Counts are per client address as the server sees it (behind a proxy, set `TRUST_PROXY`).
     */
    get: operations['listSuspiciousIps'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Search listed properties
     * @description Every filter narrows the result. `checkIn` + `checkOut` keep places free for the whole stay. Cursors are bound to the sort and stable across pages. Pages may be served from a cache for up to 15 s; writes invalidate it. Location privacy: `address.line1` and `address.postalCode` are null and the point is rounded to 2 decimals except for the host, admins and guests holding a confirmed booking of the place; radius search (`lat`, `lng`, `radiusKm`) measures great-circle distance from the rounded point, for every caller, so that no sequence of searches locates a place more precisely than its published coordinates. Anonymous answers are `Cache-Control: public, max-age=15`; signed-in ones `private, max-age=15`, or `private, no-store` when a place on the page is exact; all carry `Vary: Authorization`.
     */
    get: operations['searchProperties'];
    put?: never;
    /**
     * List a new property (hosts)
     * @description Created as `draft` unless `status: "listed"`. Text is trimmed and stored as plain text.
     */
    post: operations['createProperty'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A property
     * @description Drafts and unlisted places are visible to their host and admins only (404 for anyone else). Location privacy: `address.line1` and `address.postalCode` are null and the point is rounded to 2 decimals except for the host, admins and guests holding a confirmed booking of the place. Every answer carries an `ETag` of the representation sent (so the exact and the redacted one differ) and `Vary: Authorization`; `If-None-Match` answers 304. `Cache-Control`: `public, max-age=60` for a listed place to an anonymous caller, `private, no-cache` for a redacted one to a signed-in caller (a confirmed booking changes it), `private, no-store` for an exact location or a draft or unlisted place.
     */
    get: operations['getProperty'];
    put?: never;
    post?: never;
    /**
     * Delete a property (its host)
     * @description A soft delete: the property answers 404 afterwards. 409 `property_has_bookings` while a booking of it ends after today (property time zone).
     */
    delete: operations['deleteProperty'];
    options?: never;
    head?: never;
    /** Change a property (its host) */
    patch: operations['updateProperty'];
    trace?: never;
  };
  '/v1/properties/{id}/availability': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Unavailable date ranges of a property
     * @description Sorted, non-overlapping ranges within [from, to), clipped to the window; `end` is exclusive. Touching ranges of one reason are merged.
     */
    get: operations['getPropertyAvailability'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/blocks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Block dates on the calendar (its host)
     * @description [start, end) with `end` exclusive; from today (property time zone), at most 366 days. 409 when it overlaps another block or a booking.
     */
    post: operations['createCalendarBlock'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/blocks/{blockId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a calendar block (its host) */
    delete: operations['deleteCalendarBlock'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/hosts/me/properties': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in host's properties, every status */
    get: operations['listMyProperties'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/calendar': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Each night of a window: its price, whether it is free, its minimum stay
     * @description Every night of [from, to), at most 366 days, in date order. A night's price is the host's price for its date when one is set, else the weekend price on Friday and Saturday nights, else the nightly price; its `minNights` is the shortest stay checking in on it. A night is not available while a booking holds it or a block closes it. Listed places for anyone; drafts and unlisted places for their host and admins only (404 for anyone else). Answers carry an `ETag`; `If-None-Match` answers 304. `Cache-Control: no-cache` for a listed place (revalidate with the ETag), `private, no-store` for the others.
     */
    get: operations['getPropertyCalendar'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/calendar/prices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Set prices and minimum stays by date (its host)
     * @description Up to 100 ranges [start, end) (`end` exclusive), not overlapping each other, each within the next 730 days (from today in the place's time zone; 422 `prices_out_of_window`). Each range replaces whatever overrides it overlaps: those are trimmed, split or removed, then the range is written with its `nightlyPrice` and/or `minNights`; a range with neither only clears. All in one transaction. A place holds at most 500 ranges (409 `too_many_price_overrides`); ranges that have ended are dropped. Answers the overrides overlapping the window the request touched (its first start to its last end).
     */
    put: operations['setCalendarPrices'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/photos': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Photos of a place
     * @description Every photo, by position, whatever its status (`processing`, `ready`, `failed`), to the place’s host and admins; only the `ready` ones to anyone else, for a place they may see (a draft or unlisted place is 404 to them). At most 50, in one answer.
     */
    get: operations['listPropertyPhotos'];
    put?: never;
    /**
     * Upload a photo of a place (its host)
     * @description `multipart/form-data` with one `file` part and an optional `caption` field (up to 200 characters); no other part. The file is streamed to disk and cut at 20 MiB (413 `body_too_large`); its type is read from its bytes, whatever the part's content type and file name say: JPEG, PNG or WebP, else 415 `unsupported_media_type`. Its size is read from its header before any pixel is decoded: more than 50 megapixels is 422 `photo_too_many_pixels`; less than 800 × 600 (either way round) is 422 `photo_too_small`. A place has at most 50 photos (409 `too_many_photos`), and a user makes at most PHOTO_UPLOADS_PER_DAY (200) uploads per 24 hours (429 `photo_upload_limit` with Retry-After). Answers 202 with the photo `processing`: a background job makes its 320, 960 and 1920 px wide WebP variants (never upscaled, oriented, every metadata block such as EXIF GPS removed) and its BlurHash, then it is `ready` (the first ready photo by position is the place's cover), or `failed` with a `failureReason` when the file cannot be decoded. GraphQL has no upload: photos are uploaded over REST.
     */
    post: operations['createPropertyPhoto'];
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Reorder the photos of a place (its host)
     * @description `order` lists every photo id of the place exactly once (any status), in the new order: 422 `photo_order_mismatch` otherwise. Positions become 0, 1, 2… in that order; the first ready photo is the cover. Answers the reordered list.
     */
    patch: operations['setPhotoOrder'];
    trace?: never;
  };
  '/v1/properties/{id}/photos/{photoId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete a photo (the place’s host)
     * @description The photos after it move up one position. Its files are deleted once this has committed, by a background job that retries (files another photo shares are kept).
     */
    delete: operations['deletePhoto'];
    options?: never;
    head?: never;
    /**
     * Change a photo’s caption (the place’s host)
     * @description A photo of another place, or none, is 404 `photo_not_found`.
     */
    patch: operations['updatePhoto'];
    trace?: never;
  };
  '/v1/bookings/quote': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Price a stay and tell whether its nights are free
     * @description Anyone may ask; nothing is held. Pricing, integers in minor units, half-up rounding: `subtotal` = the sum of the nights’ prices (`price.nights` on a quote); `discount = round(subtotal × weeklyDiscountPercent / 100)` from 7 nights, else 0; `serviceFee = round((subtotal − discount + cleaningFee) × SERVICE_FEE_PERCENT / 100)`; `total = subtotal − discount + cleaningFee + serviceFee`. Rules (422 with the field): 1–90 nights, and from the place’s `minNights` (`min_nights`) to its `maxNights` (`max_nights`); check-in from today to 365 days ahead, in the property’s time zone (`check_in_in_past`, `check_in_too_far`), and not today once today’s 15:00 check-in time has passed there (`check_in_passed`); `guests` from 1 to the property’s `maxGuests` (`too_many_guests`); the property must be listed (`property_not_listed`); a host cannot book their own place (`own_property`). A property the caller cannot see (draft, unlisted, deleted, unknown) is 404. A night costs `weekendPrice` on Friday and Saturday nights when the place has one, else `nightlyPrice`. `available` is false when any night is taken by a pending or confirmed booking or a host block; an unpaid hold past its time counts as free.
     */
    post: operations['quoteStay'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/bookings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your trips, or the bookings of your properties
     * @description `as=guest` (default): bookings you made. `as=host`: bookings of your places. Newest first (creation time, then id), keyset-paginated; `status` narrows the list.
     */
    get: operations['listMyBookings'];
    put?: never;
    /**
     * Book a stay (held as pending until paid)
     * @description Creates a `pending` booking holding the nights until `holdExpiresAt` (now + BOOKING_HOLD_MINUTES); pay within the hold to confirm it, after which it expires and frees its dates. 409 `dates_unavailable` when any night is taken by a pending or confirmed booking or a block: decided by database exclusion constraints, so of concurrent requests for the same nights exactly one succeeds. Unpaid holds past their time are expired first and do not block. A guest holds at most 3 unpaid pending bookings or unanswered requests to book at once, and at most 10 holds may have ended unpaid (expired, or canceled by the guest before paying) in the last 24 hours; past either, `too_many_holds` (409; CONFLICT in GraphQL). Each booking created counts, one per GraphQL alias. Pricing, integers in minor units, half-up rounding: `subtotal` = the sum of the nights’ prices (`price.nights` on a quote); `discount = round(subtotal × weeklyDiscountPercent / 100)` from 7 nights, else 0; `serviceFee = round((subtotal − discount + cleaningFee) × SERVICE_FEE_PERCENT / 100)`; `total = subtotal − discount + cleaningFee + serviceFee`. Rules (422 with the field): 1–90 nights, and from the place’s `minNights` (`min_nights`) to its `maxNights` (`max_nights`); check-in from today to 365 days ahead, in the property’s time zone (`check_in_in_past`, `check_in_too_far`), and not today once today’s 15:00 check-in time has passed there (`check_in_passed`); `guests` from 1 to the property’s `maxGuests` (`too_many_guests`); the property must be listed (`property_not_listed`); a host cannot book their own place (`own_property`). A property the caller cannot see (draft, unlisted, deleted, unknown) is 404. A night costs `weekendPrice` on Friday and Saturday nights when the place has one, else `nightlyPrice`. Accepts `Idempotency-Key`.
     */
    post: operations['createBooking'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/bookings/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A booking
     * @description Its guest, the property’s host and admins only; 404 for anyone else. The host also gets `guestRating`: the guest’s rating from the published reviews hosts wrote of their stays (null for others).
     */
    get: operations['getBooking'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/bookings/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel a booking (its guest, the host or an admin)
     * @description Others get 404. 409 `booking_not_cancelable` when already canceled, declined, expired or completed, or when the host answered a request while its guest was canceling it; 409 `stay_started` from check-in time (15:00 property local time on the check-in date). The dates are freed. `refundAmount`: 0 for a pending booking or a request to book (nothing was captured; a request’s authorization is voided); the whole `total` when the host or an admin cancels; when the guest cancels, a share of `total − serviceFee` by the notice left before check-in time (elapsed hours; a day is 24 h): flexible 100 % with ≥ 24 h, else 0; moderate 100 % with ≥ 5 days, 50 % with ≥ 24 h, else 0; strict 100 % with ≥ 14 days, 50 % with ≥ 7 days, else 0 (50 % rounds half up). Of two concurrent cancels one succeeds and the other gets 409.
     */
    post: operations['cancelBooking'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/bookings/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Export the bookings of your places (hosts)
     * @description Every booking (any status) of the caller's places whose check-in date is in [`from`, `to`), ordered by check-in then id, as a download (`Content-Disposition: attachment`). The window is at most 1096 days. The body is streamed (chunked) page by page from the database, so any size downloads in flat server memory; a client that disconnects stops the reads. `format=csv` (default): RFC 4180, UTF-8, CRLF line ends, a header row, one row per booking with the price flattened (columns: id, propertyId, guestId, checkIn, checkOut, guests, nights, currency, nightly, subtotal, discount, cleaningFee, serviceFee, total, status, holdExpiresAt, respondBy, bookingMode, canceledAt, canceledBy, cancellationReason, refundAmount, createdAt, updatedAt); empty cells for null; a cell starting with = + - @, tab or CR gets a leading apostrophe (') so spreadsheets never run it as a formula. `format=ndjson`: one Booking JSON object per line (LF). Money is in minor units of `currency`. Hosts only: 403 for other roles.
     */
    get: operations['exportHostBookings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/bookings/{id}/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Accept a request to book (the place’s host)
     * @description The booking becomes `confirmed` and the authorized payment is captured (after the answer commits, once, retried until the provider takes it); with a provider that cannot authorize, it becomes `pending` with `holdExpiresAt` = now + BOOKING_HOLD_MINUTES, and is confirmed by the guest’s payment like any booking. The guest is e-mailed. A request to book (`bookingMode: request`) is `requested` once the guest’s payment is authorized (not captured), or at booking time with a provider that cannot authorize (then the guest pays after acceptance, within BOOKING_HOLD_MINUTES). Only the host of the place answers (403 `not_booking_host` for its guest and admins, 404 for anyone else), until `respondBy` (24 hours): afterwards the request is `expired`, and 409 `booking_not_requested` (as for any booking not `requested`). Of an accept, a decline, a guest’s cancel and the expiry racing on one request exactly one wins; the others get 409.
     */
    post: operations['acceptBooking'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/bookings/{id}/decline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Decline a request to book (the place’s host)
     * @description The booking becomes `declined`, its nights are free again and the payment’s authorization is voided: nothing is charged. `reason` (optional) is told to the guest by e-mail and kept as `cancellationReason`. A request to book (`bookingMode: request`) is `requested` once the guest’s payment is authorized (not captured), or at booking time with a provider that cannot authorize (then the guest pays after acceptance, within BOOKING_HOLD_MINUTES). Only the host of the place answers (403 `not_booking_host` for its guest and admins, 404 for anyone else), until `respondBy` (24 hours): afterwards the request is `expired`, and 409 `booking_not_requested` (as for any booking not `requested`). Of an accept, a decline, a guest’s cancel and the expiry racing on one request exactly one wins; the others get 409.
     */
    post: operations['declineBooking'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/bookings/{id}/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start paying for a booking (its guest)
     * @description Creates a payment at the configured provider and answers its `checkoutUrl`, where the guest pays. The booking must be `pending` with its hold not passed and no payment captured, and a booking opens at most 10 checkouts (409 `booking_not_payable` otherwise). Other participants of the booking get 403, anyone else 404. 503 when the provider cannot be reached (the payment is then `failed`; try again).
     */
    post: operations['startPayment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/payments/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A payment
     * @description For the guest, the host and admins of its booking; anyone else gets 404.
     */
    get: operations['getPayment'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/payments/{provider}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Payment provider webhook
     * @description Called by the payment provider, not by clients. The signature is checked over the raw body: `x-staylane-signature` (hex HMAC-SHA256 with PAYMENT_WEBHOOK_SECRET) for the sandbox, `Stripe-Signature` (`t=…,v1=…`, 300 s tolerance) for Stripe, `x-chapa-signature`/`Chapa-Signature` for Chapa (whose successes are also checked with its verify endpoint). A bad or missing signature is 401. Each provider event is applied once; a repeat answers 200 with `duplicate: true`. Events for payments we do not know are acknowledged and ignored. 404 for a provider that is not configured. 503 when the provider must be asked (Chapa verify) and cannot be reached: it will deliver again.
     */
    post: operations['receivePaymentWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/bookings/{id}/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Review a completed stay (its guest, once)
     * @description The booking’s guest rates the stay 1–5 with an optional comment. Checked in this order: a booking the caller cannot see is 404 (`booking_not_found`); its host or an admin, who can see it, get 403 `not_booking_guest`; a booking that is not `completed` is 409 `stay_not_completed`; more than 30 days after the check-out time (11:00 property local time) is 422 `review_window_closed`; a second review of the booking is 409 `already_reviewed` (a unique index decides, so concurrent attempts store one). Double-blind: the review is seen by its author only (`publishedAt` null) until the host has reviewed the guest too or the review window closes; both then publish at the same instant, and only then does the rating count in the place’s `ratingCount` and `ratingAverage` (exact under concurrency).
     */
    post: operations['createReview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/bookings/{id}/guest-review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Review the guest of a completed stay (its host, once)
     * @description The booking’s host rates the guest 1–5 with an optional comment. Checked in this order: a booking the caller cannot see is 404 (`booking_not_found`); its guest or an admin, who can see it, get 403 `not_booking_host`; a booking that is not `completed` is 409 `stay_not_completed`; more than 30 days after the check-out time is 422 `review_window_closed`; a second review of the guest for the booking is 409 `guest_already_reviewed` (a unique index decides). Double-blind: seen by its author only until the guest has reviewed the stay too or the review window closes; both then publish at the same instant, and only then does the rating count in the guest’s `guestRating`.
     */
    post: operations['createGuestReview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{id}/reviews': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Reviews a user received as a guest
     * @description Public: the published reviews hosts wrote of this user’s stays, newest publication first (publication time, then id), keyset-paginated; each with its author’s public profile. Reviews not yet published (double-blind) are never listed. Unknown user: 404 `user_not_found`.
     */
    get: operations['listUserReviews'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reviews/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A review
     * @description Once published: a review of a place while the place is visible to the caller (listed; else its host and admins only), a review of a guest always. Before publication (double-blind) only its author sees it. Otherwise 404 `review_not_found`.
     */
    get: operations['getReview'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/reviews': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Reviews of a property
     * @description Public for a listed property (a draft or unlisted one: its host and admins only, else 404). Published guest reviews only (a review is published once both sides of the stay have written theirs or the review window has closed), to everyone, admins included. Newest first (creation time, then id), keyset-paginated. Each review carries its author’s public profile only.
     */
    get: operations['listPropertyReviews'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reviews/{id}/response': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Respond to a review (the property’s host, once)
     * @description Unknown review (or one not yet published, to anyone but the stay’s guest and host): 404 `review_not_found`. Anyone but the host of the reviewed property: 403 `not_property_host`. A review of a guest takes no response: 409 `review_not_respondable`. Before publication: 409 `review_not_published`. A second response: 409 `already_responded` (a conditional update decides, so of concurrent responses one is stored).
     */
    post: operations['respondToReview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/conversations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your conversations, as guest and as host
     * @description Newest activity first (`lastMessageAt`, then id), keyset-paginated. Each carries `unreadCount`: the messages from the other participant you have not read, and its last message.
     */
    get: operations['listMyConversations'];
    put?: never;
    /**
     * Write to the host of a place (opens the conversation, or adds to it)
     * @description One conversation per guest and place. The first message opens it: 201 with `Location`. A later message about the same place is added to the existing conversation: 200 with that conversation. Either way the answer is the conversation, its `lastMessage` the message just sent. The conversation is linked (`bookingId`) to the caller’s pending or confirmed booking of the place made last, looked up again on each such message (an earlier link stays when there is none). A place the caller cannot see is 404; a host writing about their own place is 422 `own_property`. The body is plain text (never HTML-processed), 1–4000 characters once leading and trailing whitespace is trimmed. Each user may send 60 messages a minute across conversations (429 `message_rate_limited` with `Retry-After`), on top of the per-address limit.
     */
    post: operations['startConversation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/conversations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A conversation
     * @description Its guest and host only: anyone else, and any id that is not a conversation (malformed ones included), gets 404.
     */
    get: operations['getConversation'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/conversations/{id}/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The messages of a conversation, newest first
     * @description Keyset-paginated (creation time, then id). Its guest and host only: anyone else, and any id that is not a conversation (malformed ones included), gets 404.
     */
    get: operations['listMessages'];
    put?: never;
    /**
     * Send a message
     * @description 201 with the message and `Location` of the conversation’s messages. The other participant is e-mailed 5 minutes after the first message they have not read (one e-mail per unread streak), and live subscribers (GraphQL `messageAdded`) receive it once stored. The body is plain text (never HTML-processed), 1–4000 characters once leading and trailing whitespace is trimmed. Its guest and host only: anyone else, and any id that is not a conversation (malformed ones included), gets 404. Each user may send 60 messages a minute across conversations (429 `message_rate_limited` with `Retry-After`), on top of the per-address limit.
     */
    post: operations['sendMessage'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/conversations/{id}/read': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mark the conversation read
     * @description Marks every message from the other participant read (`readAt`) and answers 200 with the conversation, its `unreadCount` now 0. Repeating it changes nothing. Its guest and host only: anyone else, and any id that is not a conversation (malformed ones included), gets 404.
     */
    post: operations['markConversationRead'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/wishlists': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your wishlists
     * @description Newest first (creation time, then id), keyset-paginated, each with its `placeCount`. Places that are unlisted or deleted are left out of `places` and `placeCount`, without error; an unlisted place comes back when it is listed again.
     */
    get: operations['listMyWishlists'];
    put?: never;
    /**
     * Create a wishlist
     * @description 201 with the list and `Location`. Private unless `shared: true`. A user keeps at most 50 lists: one more is 409 `wishlist_limit_reached` (counted under a per-user lock, so concurrent creations cannot pass it).
     */
    post: operations['createWishlist'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/wishlists/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A wishlist with a page of its places
     * @description `places` is a page of its places, most recently saved first, as places appear in search results (location privacy applies; `saved` is true), keyset-paginated by `limit` and `cursor`. Places that are unlisted or deleted are left out of `places` and `placeCount`, without error; an unlisted place comes back when it is listed again. Its owner only: anyone else (admins included), and any id that is not a wishlist (malformed ones included), gets 404 `wishlist_not_found` (or `not_found`), so ids reveal nothing.
     */
    get: operations['getWishlist'];
    put?: never;
    post?: never;
    /**
     * Delete a wishlist
     * @description 204; the list, its places and its link are gone. Its owner only: anyone else (admins included), and any id that is not a wishlist (malformed ones included), gets 404 `wishlist_not_found` (or `not_found`), so ids reveal nothing.
     */
    delete: operations['deleteWishlist'];
    options?: never;
    head?: never;
    /**
     * Rename a wishlist, or share it or stop sharing it
     * @description `shared: true` gives a private list a new `shareToken` (a shared one keeps its token); `shared: false` ends the link at once. Sharing again later makes a new token: an old link never comes back. Its owner only: anyone else (admins included), and any id that is not a wishlist (malformed ones included), gets 404 `wishlist_not_found` (or `not_found`), so ids reveal nothing.
     */
    patch: operations['updateWishlist'];
    trace?: never;
  };
  '/v1/wishlists/{id}/places/{propertyId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Keep a place in a wishlist (idempotent)
     * @description 200 with the list. Saving a place the list already keeps answers the same and changes nothing (no duplicate, `updatedAt` kept). A place the caller cannot see (unknown, deleted, or someone else's draft) is 404 `property_not_found`; one the caller can see but guests cannot (their own draft or unlisted place, or any as an admin) is 422 `property_not_listed`. A list keeps at most 1000 places, counting those unlisted for now: one more is 409 `wishlist_full`. Its owner only: anyone else (admins included), and any id that is not a wishlist (malformed ones included), gets 404 `wishlist_not_found` (or `not_found`), so ids reveal nothing.
     */
    put: operations['saveToWishlist'];
    post?: never;
    /**
     * Take a place out of a wishlist (idempotent)
     * @description 204, whether or not the list kept the place. Its owner only: anyone else (admins included), and any id that is not a wishlist (malformed ones included), gets 404 `wishlist_not_found` (or `not_found`), so ids reveal nothing.
     */
    delete: operations['removeFromWishlist'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/shared-wishlists/{shareToken}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A shared wishlist, read through its link
     * @description Anyone holding the token, signed in or not, reads the list and a page of its places (`limit`, `cursor`; `saved` on places for a signed-in caller). A token that is not the list’s current one — sharing turned off, turned on again since, the list deleted, or never issued — is 404 `shared_wishlist_not_found`. Places that are unlisted or deleted are left out of `places` and `placeCount`, without error; an unlisted place comes back when it is listed again.
     */
    get: operations['getSharedWishlist'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ical/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A place’s calendar feed (iCal, secret URL)
     * @description RFC 5545 calendar of the place’s busy dates, for anyone holding the secret URL (no sign-in): every pending, requested or confirmed stay (“Reserved”) and every host block (“Not available”) ending today or later and starting within 730 days, as all-day opaque events with stable UIDs and no guest data. A malformed, unknown or rotated token is 404 `calendar_not_found`, the same answer whatever the reason. `ETag` of the body, `If-None-Match` answers 304; `Cache-Control: private, max-age=300` (the URL is a secret: shared caches must not keep it).
     */
    get: operations['getIcalFeed'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/ical': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The secret URL of a place’s calendar feed (its host)
     * @description Made on the first call and the same afterwards until rotated. A place the caller cannot see is 404 `property_not_found`; someone else’s is 403 `not_property_owner`.
     */
    get: operations['getIcalLink'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/ical/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Replace the secret of a place’s calendar feed (its host)
     * @description Answers the new URL; the old one is 404 from now on. Recorded in the audit trail. A place the caller cannot see is 404 `property_not_found`; someone else’s is 403 `not_property_owner`.
     */
    post: operations['rotateIcalToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/ical/imports': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A place’s imported calendars (its host)
     * @description Oldest first, each with its last sync, status and error. Its host only: a place the caller does not host (or cannot see) is 404 `property_not_found`, so nothing tells whether it imports anything.
     */
    get: operations['listIcalImports'];
    put?: never;
    /**
     * Import an external calendar into a place (its host)
     * @description 201 with the import and `Location`. Its first sync is queued at once, then it is fetched every `ICAL_SYNC_MINUTES` (15) with a conditional GET: at most 2 MiB, 10 s, public addresses only (redirects checked again). Each event — all-day or timed, recurring ones expanded, from today for 730 days — blocks the nights it covers like a host block; an event overlapping a Staylane stay does not block and is e-mailed to the host once. A place imports at most 5 calendars: one more is 409 `too_many_ical_imports`. A URL that is not http(s) is 422. Its host only: a place the caller does not host (or cannot see) is 404 `property_not_found`, so nothing tells whether it imports anything.
     */
    post: operations['addIcalImport'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/ical/imports/{importId}/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sync an imported calendar now (its host)
     * @description 202 with the import as it is: a sync is queued at once (its outcome shows in `GET …/ical/imports` moments later). At most one a minute per calendar: one synced or queued less than a minute ago is 429 `ical_sync_too_soon` with `Retry-After`. An import the place does not have is 404 `ical_import_not_found`. Its host only: a place the caller does not host (or cannot see) is 404 `property_not_found`, so nothing tells whether it imports anything.
     */
    post: operations['syncIcalImport'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/properties/{id}/ical/imports/{importId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove an imported calendar (its host)
     * @description 204; the nights it blocked are free again at once. An import the place does not have is 404 `ical_import_not_found`. Its host only: a place the caller does not host (or cannot see) is 404 `property_not_found`, so nothing tells whether it imports anything.
     */
    delete: operations['removeIcalImport'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/payout-account': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your payout account
     * @description The caller’s payout account and whether payouts can go to it (asked of the provider again while onboarding is unfinished). 404 `payout_account_not_found` before `POST /v1/me/payout-account`.
     */
    get: operations['getPayoutAccount'];
    put?: never;
    /**
     * Open your payout account and get its onboarding link (hosts)
     * @description Makes the caller’s payout account at the payment provider on the first call (Stripe: a Connect Express account; sandbox: ready at once) and answers a fresh onboarding link on every call. Earnings are paid out once the account is `ready`. Hosts only (403 `forbidden`); 503 `payouts_unavailable` when the configured provider cannot pay hosts out, 503 `payment_provider_unavailable` when it cannot be reached.
     */
    post: operations['openPayoutAccount'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/earnings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your earnings as a host, per currency
     * @description Per currency: `pending` (stays whose earnings are not due yet: due 24 h after check-in), `due` (the next payout; negative after a refund of a stay already paid out, settled by later earnings first), `inTransit`, `paid` and `balance`. A stay earns subtotal − discount + cleaning fee − the host fee (HOST_FEE_PERCENT of that). Empty for a user who never earned.
     */
    get: operations['getEarnings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/payouts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your payouts, newest first
     * @description Keyset paginated (`limit`, `cursor`). 422 `invalid_cursor` for a cursor this list did not give.
     */
    get: operations['listPayouts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/earnings/statement': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download your earnings statement (CSV)
     * @description Every movement of the caller’s host balance made in [`from`, `to`) (UTC days, at most 366), oldest first, as an RFC 4180 CSV download streamed page by page: a header row, then one row per movement (columns: date, kind, bookingId, payoutId, currency, amount, dueAt). `amount` is signed, in minor units: earnings and returned payouts positive, refunds and payouts negative; `dueAt` is when it counts as due. A text cell starting with = + - @, tab or CR gets a leading apostrophe. 422 when `to` is not after `from` or the window is too long.
     */
    get: operations['exportEarningsStatement'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/ledger/check': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Check the books (admins)
     * @description Bounded: the latest 5000 postings each sum to zero per currency; every payment they name is checked whole against its booking's price (the host's and the platform's parts of the capture) and its refunds (never more than captured; the host's part by the refund rule); the first 10000 maintained host balances equal the sums of their entries. `problems` is empty when the books are sound. Admins only (403).
     */
    get: operations['getLedgerCheck'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Partner events after a sequence number (polling)
     * @description Events in `seq` order (gap-free across the deployment) after `after`, optionally of some `types`; poll again with `page.nextAfter`. Kept `EVENTS_RETENTION_DAYS` (30) days. A host reads events about their places and bookings, an admin every event; a guest is 403 `hosts_only`. An unknown type is 422.
     */
    get: operations['listEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The caller’s webhook endpoints
     * @description Oldest first (at most 10); secrets are never shown again. Hosts and admins (a guest is 403 `hosts_only`). A host’s endpoints receive only events about their own places and bookings; an admin’s receive every event.
     */
    get: operations['listWebhooks'];
    put?: never;
    /**
     * Register a webhook endpoint
     * @description 201 with the endpoint, `Location` and its signing secret (`whsec_…`), shown this once. It receives the chosen event types numbered from now on, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), in `seq` order, retried with back-off for 3 days. At most 10 endpoints per account (409 `too_many_webhook_endpoints`); the URL is http(s), at most 2048 characters (422). Hosts and admins (a guest is 403 `hosts_only`). A host’s endpoints receive only events about their own places and bookings; an admin’s receive every event.
     */
    post: operations['createWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A webhook endpoint
     * @description Its settings and health (failing since, next attempt, disabled). The caller’s own endpoint only: any other id (a guest’s call included) is 404 `webhook_endpoint_not_found`.
     */
    get: operations['getWebhook'];
    put?: never;
    post?: never;
    /**
     * Delete a webhook endpoint
     * @description 204; nothing more is sent to it, and its delivery records go with it. The caller’s own endpoint only: any other id (a guest’s call included) is 404 `webhook_endpoint_not_found`.
     */
    delete: operations['deleteWebhook'];
    options?: never;
    head?: never;
    /**
     * Change a webhook endpoint
     * @description URL, event types, description; `enabled: true` re-enables an endpoint disabled after 3 days of failures (it resumes where it stopped, in order). The caller’s own endpoint only: any other id (a guest’s call included) is 404 `webhook_endpoint_not_found`.
     */
    patch: operations['updateWebhook'];
    trace?: never;
  };
  '/v1/webhooks/{id}/rotate-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Replace a webhook endpoint’s signing secret
     * @description The new secret, shown this once. For `WEBHOOK_ROTATION_OVERLAP_HOURS` (24) hours deliveries carry two signatures (new and previous secret) in `webhook-signature`, so receivers can switch without losing a delivery. The caller’s own endpoint only: any other id (a guest’s call included) is 404 `webhook_endpoint_not_found`.
     */
    post: operations['rotateWebhookSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A webhook endpoint’s deliveries
     * @description Newest first: each event sent (or being retried), its status, attempts, last response code and next attempt. Kept 30 days. The caller’s own endpoint only: any other id (a guest’s call included) is 404 `webhook_endpoint_not_found`.
     */
    get: operations['listWebhookDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a delivery again
     * @description 202 with the delivery as it is: its event is queued to be sent again at once, with the same `webhook-id` (outside the endpoint’s order; the attempt shows in the deliveries moments later). A delivery the endpoint does not have is 404 `webhook_delivery_not_found`. The caller’s own endpoint only: any other id (a guest’s call included) is 404 `webhook_endpoint_not_found`.
     */
    post: operations['redeliverWebhookDelivery'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download everything stored about you
     * @description One JSON document (`format: "staylane-personal-data/1"`) as a download (`Content-Disposition: attachment; filename="staylane-export.json"`), streamed (chunked) page by page from the database. Each section is an array, in this order: profile, sessions, auditTrail, places, bookingsAsGuest, bookingsAsHost, payments, paymentsReceived, reviewsWritten, reviewsReceived, conversations, messages, wishlists, earnings, payouts, webhookEndpoints. Profile; places you host (every status); bookings as guest and of your places; payments of those bookings (without the guest’s checkout link on your places’); reviews you wrote and those of your places; conversations you take part in and all their messages; audit entries by you or about your account. No password or token hashes. The sections are read one after another, not as one snapshot. REST only: GraphQL has no download.
     */
    get: operations['exportMyData'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/queues/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Open the queue dashboard (admins)
     * @description Sets an HttpOnly, SameSite=Strict cookie for `/admin/queues` (the Bull Board dashboard, read-only), valid 15 minutes; then open `/admin/queues` in the same browser. The dashboard exists in production mode only (PostgreSQL and Redis): 404 `queue_dashboard_not_found` otherwise.
     */
    post: operations['openQueueDashboard'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Address: {
      /** @description Null for anyone but the host, admins and guests holding a confirmed booking of the place. */
      line1: string | null;
      city: string;
      region: string;
      /** @description Null whenever `line1` is. */
      postalCode: string | null;
      country: string;
    };
    AdminAuditEntry: {
      /** Format: uuid */
      id: string;
      /** Format: date-time */
      at: string;
      actorId: string | null;
      action: string;
      entity: string;
      entityId: string | null;
      ip: string | null;
      detail: {
        [key: string]: unknown;
      };
      /** @description Where `ip` is, from an offline database (DB-IP Lite); null for private or unknown addresses. */
      location: {
        /** @description ISO 3166-1 alpha-2 */
        country: string;
        city: string | null;
      } | null;
    };
    /** @description An outbox job without its payload (which may hold personal data). */
    AdminJob: {
      /** Format: uuid */
      id: string;
      /** @description The job kind, `<module>.<job>`. */
      kind: string;
      /**
       * @description `pending` (waiting or running), `relayed` (handed to the queue), `done`, or `dead` (out of tries).
       * @enum {string}
       */
      state: 'pending' | 'relayed' | 'done' | 'dead';
      /** @description Runs started since the job was written or last retried. */
      attempts: number;
      /**
       * Format: date-time
       * @description When the job is (or was last) due.
       */
      runAt: string;
      /** @description The error of the latest failed run. */
      lastError: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** @description When the job ended done or dead. */
      finishedAt: string | null;
    };
    /** @description An entry of the e-mail delivery log. Bodies are never kept (they carry sign-in links). */
    AdminMailDelivery: {
      /** @description The de-duplication key, e.g. `verify-email:<job id>`; at most one e-mail leaves per key. */
      key: string;
      /** @description The address (replaced once its owner closed their account). */
      recipient: string;
      subject: string;
      /** @description The message's Message-ID header, derived from the key: what to look for in the mail server's log. */
      messageId: string;
      /**
       * @description `sending` (claimed, not yet marked sent), `sent`, or `failed` (the next send of the key claims it again).
       * @enum {string}
       */
      state: 'sending' | 'sent' | 'failed';
      /**
       * Format: date-time
       * @description When the key was last claimed for sending.
       */
      claimedAt: string;
      /** @description When the server took it, or when an admin marked it sent. */
      sentAt: string | null;
      /** @description Why the last attempt failed, or that an admin released the key. */
      lastError: string | null;
      /** @description The outbox job whose handler claimed the key; null when sent outside a job. */
      jobId: string | null;
      /** @description `sending` for longer than MAIL_SENDING_TIMEOUT_SECONDS: its sender died before or after the mail server took the message. */
      inDoubt: boolean;
    };
    /**
     * @example {
     *       "status": "suspended"
     *     }
     */
    AdminUpdateUserInput: {
      /**
       * @description A closed account cannot be reopened (409 `account_closed`).
       * @enum {string}
       */
      status: 'active' | 'suspended';
    };
    AdminUser: {
      /** Format: uuid */
      id: string;
      email: string;
      firstName: string;
      lastName: string;
      phone: string | null;
      /** @enum {string} */
      role: 'guest' | 'host' | 'admin';
      emailVerified: boolean;
      /** Format: date-time */
      createdAt: string;
      /** @enum {string} */
      status: 'active' | 'suspended' | 'closed';
    };
    AuthResult: {
      user: components['schemas']['User'];
      accessToken: string;
      refreshToken: string;
      /** @description Access token lifetime in seconds. */
      expiresIn: number;
    };
    Availability: {
      unavailable: {
        start: string;
        end: string;
        /** @enum {string} */
        reason: 'booked' | 'blocked';
      }[];
    };
    Block: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      propertyId: string;
      start: string;
      end: string;
      note: string | null;
      /** Format: date-time */
      createdAt: string;
    };
    BlockedIp: {
      /** @description The range, normalised: an address is a /32 (IPv4) or /128 (IPv6). */
      ip: string;
      reason: string | null;
      createdBy: string | null;
      /** Format: date-time */
      createdAt: string;
      /** @description Where the address is (the range's first address), from an offline database; null for private or unknown addresses. */
      location: {
        /** @description ISO 3166-1 alpha-2 */
        country: string;
        city: string | null;
      } | null;
    };
    Booking: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      propertyId: string;
      /** Format: uuid */
      guestId: string;
      checkIn: string;
      checkOut: string;
      guests: number;
      nights: number;
      currency: string;
      price: components['schemas']['PriceBreakdown'];
      /** @enum {string} */
      status: 'pending' | 'requested' | 'confirmed' | 'declined' | 'canceled' | 'expired' | 'completed';
      /** @description While pending: when the unpaid hold ends and the booking expires. */
      holdExpiresAt: string | null;
      /** @description While requested: when the host’s time to accept or decline ends; the request then expires. */
      respondBy: string | null;
      /**
       * @description The place’s booking mode when booked: `instant` (confirmed by payment) or `request` (the host accepts or declines).
       * @enum {string}
       */
      bookingMode: 'instant' | 'request';
      canceledAt: string | null;
      canceledBy: ('guest' | 'host' | 'admin') | null;
      cancellationReason: string | null;
      /** @description Set when canceled: minor units refunded. */
      refundAmount: number | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    BookingDetail: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      propertyId: string;
      /** Format: uuid */
      guestId: string;
      checkIn: string;
      checkOut: string;
      guests: number;
      nights: number;
      currency: string;
      price: components['schemas']['PriceBreakdown'];
      /** @enum {string} */
      status: 'pending' | 'requested' | 'confirmed' | 'declined' | 'canceled' | 'expired' | 'completed';
      /** @description While pending: when the unpaid hold ends and the booking expires. */
      holdExpiresAt: string | null;
      /** @description While requested: when the host’s time to accept or decline ends; the request then expires. */
      respondBy: string | null;
      /**
       * @description The place’s booking mode when booked: `instant` (confirmed by payment) or `request` (the host accepts or declines).
       * @enum {string}
       */
      bookingMode: 'instant' | 'request';
      canceledAt: string | null;
      canceledBy: ('guest' | 'host' | 'admin') | null;
      cancellationReason: string | null;
      /** @description Set when canceled: minor units refunded. */
      refundAmount: number | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** @description For the place’s host only: the guest’s rating from the published reviews hosts wrote of their stays (`count` 0: no reviews yet). Null for the guest and admins. */
      guestRating: components['schemas']['GuestRating'] | null;
    };
    BookingQuote: {
      /** Format: uuid */
      propertyId: string;
      checkIn: string;
      checkOut: string;
      guests: number;
      nights: number;
      currency: string;
      price: components['schemas']['PriceBreakdown'];
      /** @description Whether every night is free now (no pending or confirmed booking, no block; overdue holds count as free). */
      available: boolean;
    };
    Calendar: {
      /** Format: uuid */
      propertyId: string;
      /** @description ISO 4217 code of every price. */
      currency: string;
      /** @description Each night of [from, to), in date order. */
      nights: components['schemas']['CalendarNight'][];
    };
    CalendarNight: {
      /** @description The night (the date it begins on). */
      date: string;
      /** @description Its price, minor units: its override, else the weekend price on Friday and Saturday nights, else the nightly price. */
      price: number;
      /** @description Free: no booking holds it and no block closes it. */
      available: boolean;
      /** @description The shortest stay checking in on this night. */
      minNights: number;
    };
    CalendarPrices: {
      /** @description The place’s overrides overlapping the window the request touched (its first start to its last end), in date order. */
      overrides: components['schemas']['PriceOverride'][];
    };
    /**
     * @example {
     *       "reason": "Our plans changed; sorry for the short notice."
     *     }
     */
    CancelBookingInput: {
      /** @description Shown to the other party; up to 1000 characters. */
      reason?: string;
    };
    /**
     * @example {
     *       "currentPassword": "tangerine-harbour-lantern-42",
     *       "newPassword": "copper-meadow-violin-17"
     *     }
     */
    ChangePasswordInput: {
      currentPassword: string;
      /** @description The new password, under the same rules as at registration (judged against the account’s name and e-mail). */
      newPassword: string;
    };
    /**
     * @example {
     *       "password": "tangerine-harbour-lantern-42"
     *     }
     */
    CloseAccountInput: {
      /** @description The account’s current password. */
      password: string;
    };
    Conversation: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      propertyId: string;
      /** Format: uuid */
      guestId: string;
      /** Format: uuid */
      hostId: string;
      /** @description The guest’s pending or confirmed booking of the place made last, when the guest last wrote. */
      bookingId: string | null;
      /** Format: date-time */
      lastMessageAt: string;
      /** @description Messages from the other participant that the caller has not read. */
      unreadCount: number;
      lastMessage: components['schemas']['Message'] | null;
    };
    /**
     * @example {
     *       "start": "2027-04-01",
     *       "end": "2027-04-05",
     *       "note": "Repainting."
     *     }
     */
    CreateBlockInput: {
      /** Format: date */
      start: string;
      /**
       * Format: date
       * @description Exclusive.
       */
      end: string;
      note?: string;
    };
    /**
     * @example {
     *       "propertyId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
     *       "checkIn": "2027-03-12",
     *       "checkOut": "2027-03-19",
     *       "guests": 2
     *     }
     */
    CreateBookingInput: {
      /** Format: uuid */
      propertyId: string;
      /**
       * Format: date
       * @description Arrival date (property local), from today to 365 days ahead; check-in is at 15:00.
       */
      checkIn: string;
      /**
       * Format: date
       * @description Departure date (property local), 1 to 90 nights after checkIn; check-out is at 11:00.
       */
      checkOut: string;
      /** @description 1 to the property’s `maxGuests`. */
      guests: number;
    };
    /**
     * @example {
     *       "url": "https://www.example-rentals.com/calendar/ical/12345.ics?s=9f8e7d6c",
     *       "name": "Other booking site"
     *     }
     */
    CreateIcalImportInput: {
      /** @description The calendar’s export URL (iCal, RFC 5545): http or https, no user name or password, at most 2000 characters. It is fetched only from public addresses. */
      url: string;
      /** @description A name for the calendar, shown to the host (1–80 characters, plain text). */
      name: string;
    };
    CreatePropertyInput: {
      title: string;
      description?: string;
      /** @enum {string} */
      propertyType: 'apartment' | 'house' | 'room' | 'cabin' | 'villa' | 'other';
      address: {
        line1: string;
        city: string;
        region?: string;
        postalCode?: string;
        country: string;
      };
      latitude: number;
      longitude: number;
      timezone: string;
      currency: string;
      nightlyPrice: number;
      /** @default 0 */
      cleaningFee?: number;
      /** @default 0 */
      weeklyDiscountPercent?: number;
      /**
       * @description Price of Friday and Saturday nights, minor units; null (default) = `nightlyPrice`.
       * @default null
       */
      weekendPrice?: number | null;
      /**
       * @description Shortest stay in nights, 1 to 365 (default 1).
       * @default 1
       */
      minNights?: number;
      /**
       * @description Longest stay in nights, `minNights` to 730 (default 90); a stay is also at most 90 nights whatever this says.
       * @default 90
       */
      maxNights?: number;
      maxGuests: number;
      /** @default 0 */
      bedrooms?: number;
      /** @default 1 */
      beds?: number;
      /** @default 1 */
      bathrooms?: number;
      /** @default [] */
      amenities?: string[];
      /**
       * @default moderate
       * @enum {string}
       */
      cancellationPolicy?: 'flexible' | 'moderate' | 'strict';
      /**
       * @description `instant` (default): a booking is confirmed once paid. `request`: the guest’s payment is only authorized, and the host accepts (captured, confirmed) or declines each booking within 24 hours.
       * @default instant
       * @enum {string}
       */
      bookingMode?: 'instant' | 'request';
      /**
       * @description `draft` (default) or `listed`.
       * @default draft
       * @enum {string}
       */
      status?: 'draft' | 'listed';
    };
    CreateReviewInput: {
      /** @description 1 to 5 stars. */
      rating: number;
      /** @description Up to 2000 characters; may be left out. */
      comment?: string;
    };
    /**
     * @description A new webhook endpoint: where to send which events.
     * @example {
     *       "url": "https://partner.example.com/hooks/staylane",
     *       "events": [
     *         "booking.confirmed",
     *         "booking.canceled"
     *       ],
     *       "description": "Channel manager"
     *     }
     */
    CreateWebhookInput: {
      /** @description Where events are POSTed: http or https, no user name or password, at most 2048 characters. Only public addresses are called; redirects are not followed. */
      url: string;
      /** @description The event types the endpoint receives (at least one, each once). */
      events: components['schemas']['EventType'][];
      /** @description A note for the owner (at most 500 characters). */
      description?: string;
    };
    /**
     * @example {
     *       "name": "Lisbon in spring"
     *     }
     */
    CreateWishlistInput: {
      /** @description Plain text, 1–100 characters once leading and trailing whitespace is trimmed, at least one of them visible (not whitespace or an invisible format character such as U+200B). Names need not be unique. */
      name: string;
      /** @description Shared from the start (default `false`: private). */
      shared?: boolean;
    };
    /**
     * @example {
     *       "reason": "Sorry, the place is not available for a group that size."
     *     }
     */
    DeclineBookingInput: {
      /** @description Told to the guest; up to 1000 characters. */
      reason?: string;
    };
    Earnings: {
      data: components['schemas']['EarningsBalance'][];
    };
    EarningsBalance: {
      /** @description ISO 4217. */
      currency: string;
      /** @description Earnings of stays not due yet (due 24 h after check-in). */
      pending: number;
      /** @description Due and not yet paid out: the next payout. Negative after a refund of a stay already paid out; later earnings settle it first. */
      due: number;
      /** @description Payouts started and not yet confirmed by the provider. */
      inTransit: number;
      /** @description Paid out so far (net of reversed payouts). */
      paid: number;
      /** @description What the platform owes the host now: pending plus due. */
      balance: number;
    };
    /** @description A change a partner could act on. */
    Event: {
      /**
       * Format: uuid
       * @description Stable: the `webhook-id` header of its deliveries.
       */
      id: string;
      /** @description Gap-free and increasing across the deployment. */
      seq: number;
      type: components['schemas']['EventType'];
      /** Format: date-time */
      createdAt: string;
      /** @description The resource as the REST API shows it (see the type). */
      data: {
        [key: string]: unknown;
      };
    };
    /** @description Events in `seq` order. */
    EventPage: {
      data: components['schemas']['Event'][];
      page: {
        /** @description Pass as `after` for the next page (or the next poll). */
        nextAfter: number;
        hasMore: boolean;
      };
    };
    /**
     * @description A partner event’s type.
     * @enum {string}
     */
    EventType:
      | 'booking.created'
      | 'booking.requested'
      | 'booking.confirmed'
      | 'booking.declined'
      | 'booking.canceled'
      | 'booking.expired'
      | 'booking.completed'
      | 'payment.succeeded'
      | 'payment.refunded'
      | 'payout.paid'
      | 'review.published'
      | 'property.updated'
      | 'calendar.changed';
    GuestRating: {
      /** @description Mean stars (1–5, two decimals); null while `count` is 0. */
      average: number | null;
      /** @description How many published host reviews of this guest there are. */
      count: number;
    };
    /** @description An external calendar imported into a place: its events block the nights they cover, like host blocks. */
    IcalImport: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      propertyId: string;
      /** @description The feed’s URL (a secret of the host’s other calendar: shown to the host only). */
      url: string;
      name: string;
      /**
       * @description `pending` until the first sync; `ok` when the last fetch brought a calendar; `not_modified` when the server answered 304 (the last calendar still applies); `error` when the last fetch or parse failed (the nights of the last good sync stay blocked).
       * @enum {string}
       */
      status: 'pending' | 'ok' | 'not_modified' | 'error';
      /** @description Why the last sync failed, in short; null unless `status` is `error`. */
      error: string | null;
      /** @description Events (recurrences expanded) of the last calendar, from today for 730 days. */
      eventCount: number;
      /** @description Of those, ranges that overlap a Staylane stay at the last sync: they do not block (the host is e-mailed once each). */
      conflictCount: number;
      /** @description When the feed was last fetched, whatever the outcome. */
      lastSyncAt: string | null;
      /** @description When a fetch last succeeded (`ok` or `not_modified`). */
      lastSuccessAt: string | null;
      /**
       * Format: date-time
       * @description When the feed is next due to be fetched.
       */
      nextSyncAt: string;
      /** Format: date-time */
      createdAt: string;
    };
    /** @description A place’s imported calendars. */
    IcalImportList: {
      /** @description The place’s imported calendars, oldest first (at most 5). */
      data: components['schemas']['IcalImport'][];
    };
    /**
     * @example {
     *       "url": "https://staylane.example/ical/q0Zx3m1Yw8bU7tGkP2vN5rC9sD4fH6jL0aE1iO3uR7y.ics"
     *     }
     */
    IcalLink: {
      /** @description The secret URL of the place’s calendar feed (RFC 5545). Anyone holding it can read the busy dates. */
      url: string;
    };
    LedgerCheck: {
      /** @description Empty when the books are sound. */
      problems: components['schemas']['LedgerProblem'][];
      scanned: {
        /** @description Latest postings whose balance was checked. */
        postings: number;
        /** @description Payments of those postings checked against their bookings. */
        payments: number;
        /** @description Maintained host balances compared with their entries. */
        balances: number;
      };
    };
    LedgerProblem: {
      /**
       * @description What is wrong.
       * @enum {string}
       */
      code: 'unbalanced_posting' | 'balance_mismatch' | 'capture_mismatch' | 'refund_split_mismatch' | 'over_refunded';
      message: string;
      postingId: string | null;
      bookingId: string | null;
      paymentId: string | null;
      account: string | null;
    };
    /**
     * @example {
     *       "email": "amara@example.com",
     *       "password": "tangerine-harbour-lantern-42"
     *     }
     */
    LoginInput: {
      email: string;
      password: string;
    };
    Message: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      conversationId: string;
      /** Format: uuid */
      senderId: string;
      body: string;
      /** Format: date-time */
      createdAt: string;
      /** @description When the other participant marked the conversation read; null while unread. */
      readAt: string | null;
    };
    /** @description One night of a stay and its price. */
    NightPrice: {
      /**
       * Format: date
       * @description The day the night begins.
       */
      date: string;
      /** @description Its price, minor units. */
      price: number;
    };
    /**
     * @example {
     *       "token": "q7Zk3vT9mWc2xR8pL1nB5yH0fJ4sD6aE",
     *       "password": "copper-meadow-violin-17"
     *     }
     */
    PasswordResetConfirmInput: {
      /** @description The token from the link in the e-mail. */
      token: string;
      /** @description The new password, under the same rules as at registration (judged against the account’s name and e-mail). */
      password: string;
    };
    /**
     * @example {
     *       "email": "amara@example.com"
     *     }
     */
    PasswordResetRequestInput: {
      email: string;
    };
    Payment: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      bookingId: string;
      /** @enum {string} */
      provider: 'sandbox' | 'chapa' | 'stripe';
      /**
       * @description `initiated` until the provider reports; `succeeded` confirms the booking; `failed` leaves it pending until its hold ends; (partially_)refunded after a cancel or a late success.
       * @enum {string}
       */
      status: 'initiated' | 'authorized' | 'succeeded' | 'voided' | 'failed' | 'refunded' | 'partially_refunded';
      /** @description Minor units: the booking’s total. */
      amount: number;
      /** @description Minor units refunded so far. */
      refundedAmount: number;
      /** @description ISO 4217. */
      currency: string;
      /** @description Where to send the guest to pay (the provider’s hosted page). */
      checkoutUrl: string | null;
      /** @description What the provider knows this payment by. */
      providerReference: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Payout: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      hostId: string;
      /** @description Minor units of `currency`, > 0. */
      amount: number;
      /** @description ISO 4217. */
      currency: string;
      /**
       * @description `pending` while the transfer is on its way; `paid` once the provider took it; `failed` when refused or reversed (the amount is back in the balance).
       * @enum {string}
       */
      status: 'pending' | 'paid' | 'failed';
      /** @description The provider’s id of the transfer, once paid. */
      providerReference: string | null;
      /** Format: date-time */
      createdAt: string;
      paidAt: string | null;
      failureReason: string | null;
    };
    PayoutAccount: {
      /**
       * @description Who pays the host out.
       * @enum {string}
       */
      provider: 'sandbox' | 'stripe';
      /** @description Whether payouts can go to the account (onboarding finished). */
      ready: boolean;
      /** Format: date-time */
      createdAt: string;
    };
    PayoutAccountLink: {
      account: components['schemas']['PayoutAccount'];
      /** @description Where the host finishes onboarding at the provider (sandbox: ready at once). */
      onboardingUrl: string;
    };
    PersonalDataExport: {
      /** @constant */
      format: 'staylane-personal-data/1';
      /** Format: date-time */
      exportedAt: string;
      /** Format: uuid */
      userId: string;
      profile: unknown[];
      sessions: unknown[];
      auditTrail: unknown[];
      places: unknown[];
      bookingsAsGuest: unknown[];
      bookingsAsHost: unknown[];
      payments: unknown[];
      paymentsReceived: unknown[];
      reviewsWritten: unknown[];
      reviewsReceived: unknown[];
      conversations: unknown[];
      messages: unknown[];
      wishlists: unknown[];
      earnings: unknown[];
      payouts: unknown[];
      webhookEndpoints: unknown[];
    };
    Photo: {
      /** Format: uuid */
      id: string;
      /**
       * @description `processing` until its variants are made; `failed` when the file could not be decoded.
       * @enum {string}
       */
      status: 'processing' | 'ready' | 'failed';
      caption: string | null;
      /** @description Of the original, once oriented; null until processed. */
      width: number | null;
      height: number | null;
      /** @description A BlurHash placeholder to show while the image loads; null until ready. */
      blurhash: string | null;
      /** @description Content-addressed, cacheable for ever; null until ready. */
      urls: {
        /** @description 320 px wide WebP (never upscaled). */
        small: string;
        /** @description 960 px wide WebP. */
        medium: string;
        /** @description 1920 px wide WebP. */
        large: string;
      } | null;
      /** @description 0 for the first photo of the place; the first ready one is its cover. */
      position: number;
      /** @description Why processing failed; null otherwise. */
      failureReason: string | null;
      /** Format: date-time */
      createdAt: string;
    };
    PhotoList: {
      /** @description Every photo the caller may see, by position (at most 50). */
      data: components['schemas']['Photo'][];
    };
    /** @description Integers in the currency’s minor units. */
    PriceBreakdown: {
      /** @description The place’s nightly price, minor units (weekend nights may differ). */
      nightly: number;
      /** @description The sum of the nights’ prices: `weekendPrice` on Friday and Saturday nights when set, else `nightlyPrice`. */
      subtotal: number;
      /** @description Weekly discount (7 nights or more), rounded half up. */
      discount: number;
      cleaningFee: number;
      /** @description SERVICE_FEE_PERCENT of (subtotal − discount + cleaningFee), rounded half up. */
      serviceFee: number;
      /** @description subtotal − discount + cleaningFee + serviceFee. */
      total: number;
      /** @description Each night and its price, in order, on a quote; null on a booking (it keeps the totals only). */
      nights: components['schemas']['NightPrice'][] | null;
    };
    PriceOverride: {
      /** @description The first night. */
      start: string;
      /** @description The day after the last night (exclusive). */
      end: string;
      /** @description The price of each night; null = the place’s own rule. */
      nightlyPrice: number | null;
      /** @description The shortest stay checking in on these nights; null = the place’s. */
      minNights: number | null;
    };
    /**
     * @example {
     *       "type": "urn:staylane:problem:dates_unavailable",
     *       "title": "Conflict",
     *       "status": 409,
     *       "detail": "Some of these nights are already taken by a booking or a block.",
     *       "instance": "/v1/bookings",
     *       "code": "dates_unavailable"
     *     }
     */
    Problem: {
      /** @description A URI naming the problem type: `urn:staylane:problem:<code>`. */
      type: string;
      /** @description The HTTP status text. */
      title: string;
      status: number;
      /** @description What went wrong, for people; it may change wording at any time. */
      detail: string;
      /** @description The path of the request. */
      instance: string;
      /** @description Stable machine-readable code, e.g. `email_taken`; each answer lists the codes it may carry. */
      code: string;
      /** @description Each invalid or unknown field (422): a dotted path and a message. */
      errors?: {
        path: string;
        message: string;
      }[];
    };
    Property: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      hostId: string;
      title: string;
      description: string;
      /** @enum {string} */
      propertyType: 'apartment' | 'house' | 'room' | 'cabin' | 'villa' | 'other';
      address: components['schemas']['Address'];
      /** @description Exact for the host, admins and guests holding a confirmed booking of the place; for anyone else rounded to 2 decimals (about 1 km), ties away from zero. */
      latitude: number;
      /** @description Exact or rounded, as `latitude`. */
      longitude: number;
      timezone: string;
      currency: string;
      nightlyPrice: number;
      cleaningFee: number;
      weeklyDiscountPercent: number;
      /** @description Price of Friday and Saturday nights; null = `nightlyPrice`. */
      weekendPrice: number | null;
      /** @description Shortest stay in nights, unless a price range sets its own. */
      minNights: number;
      /** @description Longest stay in nights (a stay is at most 90 nights in any case). */
      maxNights: number;
      maxGuests: number;
      bedrooms: number;
      beds: number;
      bathrooms: number;
      amenities: string[];
      /** @enum {string} */
      cancellationPolicy: 'flexible' | 'moderate' | 'strict';
      /**
       * @description `instant` (default): a booking is confirmed once paid. `request`: the guest’s payment is only authorized, and the host accepts (captured, confirmed) or declines each booking within 24 hours.
       * @enum {string}
       */
      bookingMode: 'instant' | 'request';
      /** @enum {string} */
      status: 'draft' | 'listed' | 'unlisted';
      ratingAverage: number | null;
      ratingCount: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** @description The first ready photo; null while the place has none. */
      coverPhoto: components['schemas']['Photo'] | null;
      /** @description Every ready photo in order; only in the answer about one place (its detail, create and update). */
      photos?: components['schemas']['Photo'][];
      /** @description Whether the signed-in caller keeps the place in one of their wishlists; absent for anonymous callers. */
      saved?: boolean;
    };
    PublicReview: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      bookingId: string;
      /** Format: uuid */
      propertyId: string;
      /** Format: uuid */
      authorId: string;
      /**
       * @description `guest_to_host`: the guest reviews the stay and its place; `host_to_guest`: the host reviews the guest.
       * @enum {string}
       */
      direction: 'guest_to_host' | 'host_to_guest';
      rating: number;
      comment: string;
      /** @description The host’s response; null until they respond. */
      hostResponse: string | null;
      /** @description When the host responded. */
      hostRespondedAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** @description When it became visible to others: once both reviews of the stay are written, or when the review window closed (both at the same instant). Null while only its author sees it. */
      publishedAt: string | null;
      /** @description The author’s public profile (first name, member since). */
      author: {
        /** Format: uuid */
        id: string;
        firstName: string;
        /**
         * Format: date-time
         * @description When the account was created.
         */
        memberSince: string;
        /** @description Their rating as a guest, from the published reviews hosts wrote of their stays. */
        guestRating: components['schemas']['GuestRating'];
      } | null;
    };
    /**
     * @example {
     *       "propertyId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
     *       "checkIn": "2027-03-12",
     *       "checkOut": "2027-03-19",
     *       "guests": 2
     *     }
     */
    QuoteRequest: {
      /** Format: uuid */
      propertyId: string;
      /**
       * Format: date
       * @description Arrival date (property local), from today to 365 days ahead; check-in is at 15:00.
       */
      checkIn: string;
      /**
       * Format: date
       * @description Departure date (property local), 1 to 90 nights after checkIn; check-out is at 11:00.
       */
      checkOut: string;
      /** @description 1 to the property’s `maxGuests`. */
      guests: number;
    };
    /**
     * @example {
     *       "refreshToken": "q7Zk3vT9mWc2xR8pL1nB5yH0fJ4sD6aE"
     *     }
     */
    RefreshInput: {
      refreshToken: string;
    };
    /**
     * @example {
     *       "email": "amara@example.com",
     *       "password": "tangerine-harbour-lantern-42",
     *       "firstName": "Amara",
     *       "lastName": "Okafor",
     *       "role": "host"
     *     }
     */
    RegisterInput: {
      email: string;
      /** @description At least 10 characters and hard to guess: common, repeated and keyboard-row passwords, and ones built on your name or e-mail, are refused (422 with the reason). */
      password: string;
      firstName: string;
      lastName: string;
      phone?: string;
      /**
       * @description Defaults to `guest`. Admins cannot be registered.
       * @enum {string}
       */
      role?: 'guest' | 'host';
    };
    /**
     * @example {
     *       "order": [
     *         "5d1e8c3a-9b7f-4e2d-a6c4-3f8b1e9d7a25",
     *         "8f14e45f-ceea-4e7a-9b1d-2c3e4f5a6b7c"
     *       ]
     *     }
     */
    ReorderPhotosInput: {
      /** @description Every photo id of the place, each once, in the new order; the first ready one is the cover. */
      order: string[];
    };
    /**
     * @example {
     *       "outcome": "resend"
     *     }
     */
    ResolveMailDeliveryInput: {
      /**
       * @description `sent`: the mail server's log shows the message was taken; the key is marked sent and nothing is sent. `resend`: it was not; the key is released and its job runs again at once, sending it.
       * @enum {string}
       */
      outcome: 'sent' | 'resend';
    };
    /**
     * @example {
     *       "body": "Thank you for staying with us. Come back any time!"
     *     }
     */
    RespondToReviewInput: {
      /** @description The host’s public response, 1 to 2000 characters. */
      body: string;
    };
    Review: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      bookingId: string;
      /** Format: uuid */
      propertyId: string;
      /** Format: uuid */
      authorId: string;
      /**
       * @description `guest_to_host`: the guest reviews the stay and its place; `host_to_guest`: the host reviews the guest.
       * @enum {string}
       */
      direction: 'guest_to_host' | 'host_to_guest';
      rating: number;
      comment: string;
      /** @description The host’s response; null until they respond. */
      hostResponse: string | null;
      /** @description When the host responded. */
      hostRespondedAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** @description When it became visible to others: once both reviews of the stay are written, or when the review window closed (both at the same instant). Null while only its author sees it. */
      publishedAt: string | null;
    };
    /**
     * @example {
     *       "body": "Thank you, see you on the 12th around four."
     *     }
     */
    SendMessageInput: {
      /** @description Plain text, 1–4000 characters once leading and trailing whitespace is trimmed, at least one of them visible (not whitespace or an invisible format character such as U+200B). */
      body: string;
    };
    /**
     * @example {
     *       "ranges": [
     *         {
     *           "start": "2027-07-01",
     *           "end": "2027-09-01",
     *           "nightlyPrice": 18000,
     *           "minNights": 3
     *         },
     *         {
     *           "start": "2027-12-24",
     *           "end": "2027-12-27",
     *           "nightlyPrice": 25000
     *         },
     *         {
     *           "start": "2027-10-01",
     *           "end": "2027-10-08"
     *         }
     *       ]
     *     }
     */
    SetCalendarPricesInput: {
      /** @description 1 to 100 ranges that do not overlap each other. A range with neither `nightlyPrice` nor `minNights` clears the overrides it overlaps. */
      ranges: {
        /**
         * Format: date
         * @description The first night of the range.
         */
        start: string;
        /**
         * Format: date
         * @description The day after the last night (exclusive).
         */
        end: string;
        /** @description The price of each night of the range, minor units; left out = the place’s own rule. */
        nightlyPrice?: number;
        /** @description The shortest stay checking in on a night of the range, 1 to 365; left out = the place’s. */
        minNights?: number;
      }[];
    };
    /**
     * @example {
     *       "propertyId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
     *       "body": "Hello! Is there room for a baby cot in the bedroom?"
     *     }
     */
    StartConversationInput: {
      /** Format: uuid */
      propertyId: string;
      /** @description Plain text, 1–4000 characters once leading and trailing whitespace is trimmed, at least one of them visible (not whitespace or an invisible format character such as U+200B). */
      body: string;
    };
    SuspiciousIp: {
      ip: string;
      /**
       * Format: date-time
       * @description The start of the hour the counts are for.
       */
      hour: string;
      requests: number;
      /** @description Requests to admin routes refused with 401 or 403. */
      adminProbes: number;
      reasons: ('requests' | 'admin_probes')[];
      /** Format: date-time */
      flaggedAt: string;
      /** @description Whether the block list covers the address now. */
      blocked: boolean;
      /** @description Where the address is (the range's first address), from an offline database; null for private or unknown addresses. */
      location: {
        /** @description ISO 3166-1 alpha-2 */
        country: string;
        city: string | null;
      } | null;
    };
    /**
     * @description `email` and `role` cannot be changed here; unknown fields are rejected.
     * @example {
     *       "lastName": "Okafor-Bello",
     *       "phone": "+251911234567"
     *     }
     */
    UpdateMeInput: {
      firstName?: string;
      lastName?: string;
      phone?: string | null;
    };
    UpdatePhotoInput: {
      /** @description Up to 200 characters; null or an empty string removes it. */
      caption: string | null;
    };
    /** @description Any subset of the fields; `address` may be partial. */
    UpdatePropertyInput: {
      title?: string;
      description?: string;
      /** @enum {string} */
      propertyType?: 'apartment' | 'house' | 'room' | 'cabin' | 'villa' | 'other';
      address?: {
        line1?: string;
        city?: string;
        region?: string;
        postalCode?: string;
        country?: string;
      };
      latitude?: number;
      longitude?: number;
      timezone?: string;
      currency?: string;
      nightlyPrice?: number;
      cleaningFee?: number;
      weeklyDiscountPercent?: number;
      /** @description Null clears it (Friday and Saturday at `nightlyPrice`). */
      weekendPrice?: number | null;
      minNights?: number;
      maxNights?: number;
      maxGuests?: number;
      bedrooms?: number;
      beds?: number;
      bathrooms?: number;
      amenities?: string[];
      /** @enum {string} */
      cancellationPolicy?: 'flexible' | 'moderate' | 'strict';
      /**
       * @description `instant` (default): a booking is confirmed once paid. `request`: the guest’s payment is only authorized, and the host accepts (captured, confirmed) or declines each booking within 24 hours.
       * @enum {string}
       */
      bookingMode?: 'instant' | 'request';
      /** @enum {string} */
      status?: 'draft' | 'listed' | 'unlisted';
    };
    /**
     * @description The fields to change; the others keep their values.
     * @example {
     *       "events": [
     *         "booking.created",
     *         "booking.canceled"
     *       ],
     *       "enabled": true
     *     }
     */
    UpdateWebhookInput: {
      /** @description Where events are POSTed: http or https, no user name or password, at most 2048 characters. Only public addresses are called; redirects are not followed. */
      url?: string;
      /** @description The event types the endpoint receives (at least one, each once). */
      events?: components['schemas']['EventType'][];
      description?: string | null;
      /** @description True re-enables an endpoint disabled after 3 days of failures: it resumes where it stopped. */
      enabled?: boolean;
    };
    /**
     * @description The fields to change; the others keep their values (an empty object changes nothing).
     * @example {
     *       "name": "Lisbon, May",
     *       "shared": true
     *     }
     */
    UpdateWishlistInput: {
      /** @description Plain text, 1–100 characters once leading and trailing whitespace is trimmed, at least one of them visible (not whitespace or an invisible format character such as U+200B). Names need not be unique. */
      name?: string;
      /** @description `true` gives the list a read-only link (`shareToken`, for `GET /v1/shared-wishlists/{shareToken}`); `false` ends it. Turning sharing on again makes a new token: the old link stays dead. */
      shared?: boolean;
    };
    /**
     * @example {
     *       "file": "(the image’s bytes)",
     *       "caption": "Living room in the morning light"
     *     }
     */
    UploadPhotoForm: {
      /** @description The image: JPEG, PNG or WebP (read from its bytes), at most 20 MiB, 800 × 600 to 50 megapixels. */
      file: string;
      /** @description Up to 200 characters; may be left out. */
      caption?: string;
    };
    User: {
      /** Format: uuid */
      id: string;
      email: string;
      firstName: string;
      lastName: string;
      phone: string | null;
      /** @enum {string} */
      role: 'guest' | 'host' | 'admin';
      emailVerified: boolean;
      /** Format: date-time */
      createdAt: string;
    };
    UserSession: {
      /** Format: uuid */
      id: string;
      /**
       * Format: date-time
       * @description When the sign-in (register or login) happened.
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description The last sign-in or token refresh of this session.
       */
      lastUsedAt: string;
      /** @description The client address last seen (sign-in or refresh). */
      ip: string | null;
      /** @description The User-Agent last seen, cut to 512 characters. */
      userAgent: string | null;
      /** @description True for the session of the access token that asked. */
      current: boolean;
    };
    /**
     * @example {
     *       "token": "q7Zk3vT9mWc2xR8pL1nB5yH0fJ4sD6aE"
     *     }
     */
    VerifyEmailInput: {
      /** @description The token from the link in the e-mail. */
      token: string;
    };
    /**
     * @example {
     *       "email": "amara@example.com"
     *     }
     */
    VerifyEmailResendInput: {
      email: string;
    };
    WebhookAck: {
      /** @constant */
      received: true;
      /** @description True when this event had been delivered before; it was not applied again. */
      duplicate: boolean;
    };
    /** @description One event’s delivery to one endpoint. */
    WebhookDelivery: {
      /** Format: uuid */
      id: string;
      /**
       * Format: uuid
       * @description The event’s id, also the `webhook-id` header of every attempt.
       */
      eventId: string;
      seq: number;
      eventType: components['schemas']['EventType'];
      /**
       * @description `succeeded` (a 2xx answer), `retrying` (failed, tried again at `nextAttemptAt`), `failed` (given up).
       * @enum {string}
       */
      status: 'succeeded' | 'retrying' | 'failed';
      attempts: number;
      /** @description The last attempt’s HTTP status; null when none came. */
      responseStatus: number | null;
      /** @description Why the last attempt failed, in short. */
      error: string | null;
      nextAttemptAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    /** @description Deliveries, newest first. */
    WebhookDeliveryPage: {
      data: components['schemas']['WebhookDelivery'][];
      page: {
        nextCursor: string | null;
        hasMore: boolean;
      };
    };
    /** @description An HTTP endpoint that receives signed events. */
    WebhookEndpoint: {
      /** Format: uuid */
      id: string;
      url: string;
      description: string | null;
      events: components['schemas']['EventType'][];
      /** @description False once the endpoint failed for 3 days (its owner was e-mailed). */
      enabled: boolean;
      /** @description Since when deliveries keep failing (retried with back-off); null when healthy. */
      failingSince: string | null;
      /** @description When a failing endpoint is next tried. */
      nextAttemptAt: string | null;
      disabledAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    /** @description The caller’s webhook endpoints. */
    WebhookEndpointList: {
      /** @description Oldest first (at most 10). */
      data: components['schemas']['WebhookEndpoint'][];
    };
    /** @description An endpoint and its signing secret, shown once. */
    WebhookSecret: {
      endpoint: components['schemas']['WebhookEndpoint'];
      /** @description The signing secret (`whsec_` + base64), shown this once: verify deliveries with it (Standard Webhooks). */
      secret: string;
    };
    /** @description A named list of places a user keeps; private unless shared. */
    Wishlist: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @description Whether the list has a read-only link. */
      shared: boolean;
      /** @description The secret of the read-only link (`GET /v1/shared-wishlists/{shareToken}`); null while the list is private. Anyone holding it can read the list: share it as you would the link. */
      shareToken: string | null;
      /** @description Places the list shows: places that are unlisted or deleted are not counted (nor shown). */
      placeCount: number;
      /** Format: date-time */
      createdAt: string;
      /**
       * Format: date-time
       * @description When its name, its sharing or its places last changed.
       */
      updatedAt: string;
    };
    /** @description A wishlist with a page of its places. */
    WishlistDetail: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @description Whether the list has a read-only link. */
      shared: boolean;
      /** @description The secret of the read-only link (`GET /v1/shared-wishlists/{shareToken}`); null while the list is private. Anyone holding it can read the list: share it as you would the link. */
      shareToken: string | null;
      /** @description Places the list shows: places that are unlisted or deleted are not counted (nor shown). */
      placeCount: number;
      /** Format: date-time */
      createdAt: string;
      /**
       * Format: date-time
       * @description When its name, its sharing or its places last changed.
       */
      updatedAt: string;
      /** @description A page of its places, most recently saved first (`limit`, `cursor`), as places appear in search results; unlisted and deleted places are left out. */
      places: {
        data: components['schemas']['Property'][];
        page: {
          nextCursor: string | null;
          hasMore: boolean;
        };
      };
    };
  };
  responses: {
    /** @description Forbidden */
    AccountSuspendedOrIpBlocked: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'account_suspended' | 'ip_blocked';
        };
      };
    };
    /** @description Content Too Large */
    BodyTooLarge: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'body_too_large';
        };
      };
    };
    /** @description Not Found */
    BookingNotFoundOrNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'booking_not_found' | 'not_found';
        };
      };
    };
    /** @description Conflict */
    BookingNotRequested: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'booking_not_requested';
        };
      };
    };
    /** @description Not Found */
    ConversationNotFoundOrNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'conversation_not_found' | 'not_found';
        };
      };
    };
    /** @description Forbidden */
    ForbiddenOrAccountSuspendedOrIpBlocked: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'forbidden' | 'account_suspended' | 'ip_blocked';
        };
      };
    };
    /** @description Forbidden */
    HostRequiredOrAccountSuspendedOrIpBlocked: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'host_required' | 'account_suspended' | 'ip_blocked';
        };
      };
    };
    /** @description Forbidden */
    HostsOnlyOrAccountSuspendedOrIpBlocked: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'hosts_only' | 'account_suspended' | 'ip_blocked';
        };
      };
    };
    /** @description Internal Server Error */
    InternalError: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'internal_error';
        };
      };
    };
    /** @description Unprocessable Content */
    InvalidCursorOrValidationFailed: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'invalid_cursor' | 'validation_failed';
        };
      };
    };
    /** @description Unauthorized */
    InvalidTokenOrSessionEnded: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'invalid_token' | 'session_ended';
        };
      };
    };
    /** @description Unprocessable Content */
    InvalidTokenOrValidationFailedOrInvalidValue: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'invalid_token' | 'validation_failed' | 'invalid_value';
        };
      };
    };
    /** @description Bad Request */
    MalformedRequest: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'malformed_request';
        };
      };
    };
    /** @description Too Many Requests */
    MessageRateLimitedOrRateLimited: {
      headers: {
        'Retry-After': components['headers']['RetryAfter'];
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'message_rate_limited' | 'rate_limited';
        };
      };
    };
    /** @description Forbidden */
    NotBookingGuestOrAccountSuspendedOrIpBlocked: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'not_booking_guest' | 'account_suspended' | 'ip_blocked';
        };
      };
    };
    /** @description Forbidden */
    NotBookingHostOrAccountSuspendedOrIpBlocked: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'not_booking_host' | 'account_suspended' | 'ip_blocked';
        };
      };
    };
    /** @description Forbidden */
    NotPropertyOwnerOrAccountSuspendedOrIpBlocked: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'not_property_owner' | 'account_suspended' | 'ip_blocked';
        };
      };
    };
    /** @description Service Unavailable */
    PaymentProviderUnavailableOrUnavailableOrMigrationsPendingOrOverloaded: {
      headers: {
        'Retry-After': components['headers']['RetryAfter'];
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'payment_provider_unavailable' | 'unavailable' | 'migrations_pending' | 'overloaded';
        };
      };
    };
    /** @description Not Found */
    PropertyNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'property_not_found';
        };
      };
    };
    /** @description Not Found */
    PropertyNotFoundOrIcalImportNotFoundOrNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'property_not_found' | 'ical_import_not_found' | 'not_found';
        };
      };
    };
    /** @description Not Found */
    PropertyNotFoundOrNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'property_not_found' | 'not_found';
        };
      };
    };
    /** @description Not Found */
    PropertyNotFoundOrPhotoNotFoundOrNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'property_not_found' | 'photo_not_found' | 'not_found';
        };
      };
    };
    /** @description Too Many Requests */
    RateLimited: {
      headers: {
        'Retry-After': components['headers']['RetryAfter'];
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'rate_limited';
        };
      };
    };
    /** @description Not Found */
    ReviewNotFoundOrNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'review_not_found' | 'not_found';
        };
      };
    };
    /** @description Unprocessable Content */
    ReviewWindowClosedOrValidationFailedOrInvalidValue: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'review_window_closed' | 'validation_failed' | 'invalid_value';
        };
      };
    };
    /** @description Too Many Requests */
    TooManyLoginFailuresOrRateLimited: {
      headers: {
        'Retry-After': components['headers']['RetryAfter'];
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'too_many_login_failures' | 'rate_limited';
        };
      };
    };
    /** @description Unauthorized */
    UnauthorizedOrInvalidTokenOrSessionEnded: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'unauthorized' | 'invalid_token' | 'session_ended';
        };
      };
    };
    /** @description Service Unavailable */
    UnavailableOrMigrationsPendingOrOverloaded: {
      headers: {
        'Retry-After': components['headers']['RetryAfter'];
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'unavailable' | 'migrations_pending' | 'overloaded';
        };
      };
    };
    /** @description Unsupported Media Type */
    UnsupportedMediaType: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'unsupported_media_type';
        };
      };
    };
    /** @description Not Found */
    UserNotFoundOrNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'user_not_found' | 'not_found';
        };
      };
    };
    /** @description Unprocessable Content */
    ValidationFailed: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'validation_failed';
        };
      };
    };
    /** @description Unprocessable Content */
    ValidationFailedOrInvalidCursor: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'validation_failed' | 'invalid_cursor';
        };
      };
    };
    /** @description Unprocessable Content */
    ValidationFailedOrInvalidValue: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'validation_failed' | 'invalid_value';
        };
      };
    };
    /** @description Not Found */
    WebhookEndpointNotFoundOrNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'webhook_endpoint_not_found' | 'not_found';
        };
      };
    };
    /** @description Not Found */
    WishlistNotFoundOrNotFound: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'wishlist_not_found' | 'not_found';
        };
      };
    };
    /** @description Forbidden */
    WrongPasswordOrAccountSuspendedOrIpBlocked: {
      headers: {
        'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
        'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
        'x-ratelimit-reset': components['headers']['XRatelimitReset'];
        'x-request-id': components['headers']['XRequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'] & {
          /** @enum {string} */
          code?: 'wrong_password' | 'account_suspended' | 'ip_blocked';
        };
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: {
    /** @description The path of the resource just created. */
    Location: string;
    /** @description A strong validator of the body; send it back in `If-None-Match` to get 304 while it is unchanged. */
    ETag: string;
    /** @description How long, and for whom, the answer may be cached. */
    CacheControl: string;
    /** @description Names the download: `attachment; filename="…"`. */
    ContentDisposition: string;
    /** @description Seconds to wait before trying again. */
    RetryAfter: number;
    /** @description Present (`true`) when this is the stored answer to an earlier request with the same `Idempotency-Key`. */
    IdempotentReplayed: 'true';
    /** @description Requests this client address may make in the current minute. */
    XRatelimitLimit: number;
    /** @description Requests left in the current minute. */
    XRatelimitRemaining: number;
    /** @description Seconds until the current minute’s count starts again. */
    XRatelimitReset: number;
    /** @description The id of this request in the server’s logs: the `x-request-id` the client sent (up to 128 URL-safe characters) or a new UUID. Quote it when reporting a problem. */
    XRequestId: string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  register: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "amara@example.com",
         *       "password": "tangerine-harbour-lantern-42",
         *       "firstName": "Amara",
         *       "lastName": "Okafor",
         *       "role": "host"
         *     }
         */
        'application/json': components['schemas']['RegisterInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuthResult'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'email_taken';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "amara@example.com",
         *       "password": "tangerine-harbour-lantern-42"
         *     }
         */
        'application/json': components['schemas']['LoginInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuthResult'];
        };
      };
      400: components['responses']['MalformedRequest'];
      /** @description Unauthorized */
      401: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'invalid_credentials' | 'invalid_token' | 'session_ended';
          };
        };
      };
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['TooManyLoginFailuresOrRateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  refreshTokens: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "refreshToken": "q7Zk3vT9mWc2xR8pL1nB5yH0fJ4sD6aE"
         *     }
         */
        'application/json': components['schemas']['RefreshInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuthResult'];
        };
      };
      400: components['responses']['MalformedRequest'];
      /** @description Unauthorized */
      401: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'invalid_refresh_token' | 'refresh_token_reused' | 'invalid_token' | 'session_ended';
          };
        };
      };
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "refreshToken": "q7Zk3vT9mWc2xR8pL1nB5yH0fJ4sD6aE"
         *     }
         */
        'application/json': components['schemas']['RefreshInput'];
      };
    };
    responses: {
      /** @description Signed out */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  verifyEmail: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "token": "q7Zk3vT9mWc2xR8pL1nB5yH0fJ4sD6aE"
         *     }
         */
        'application/json': components['schemas']['VerifyEmailInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['InvalidTokenOrValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  resendVerificationEmail: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "amara@example.com"
         *     }
         */
        'application/json': components['schemas']['VerifyEmailResendInput'];
      };
    };
    responses: {
      /** @description Accepted; a link is e-mailed if an unverified account has this address */
      202: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  requestPasswordReset: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "amara@example.com"
         *     }
         */
        'application/json': components['schemas']['PasswordResetRequestInput'];
      };
    };
    responses: {
      /** @description Accepted; a link is e-mailed if the account exists */
      202: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  confirmPasswordReset: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "token": "q7Zk3vT9mWc2xR8pL1nB5yH0fJ4sD6aE",
         *       "password": "copper-meadow-violin-17"
         *     }
         */
        'application/json': components['schemas']['PasswordResetConfirmInput'];
      };
    };
    responses: {
      /** @description Password changed */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['InvalidTokenOrValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  closeMyAccount: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "password": "tangerine-harbour-lantern-42"
         *     }
         */
        'application/json': components['schemas']['CloseAccountInput'];
      };
    };
    responses: {
      /** @description The account is closed */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['WrongPasswordOrAccountSuspendedOrIpBlocked'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'has_active_stays';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['TooManyLoginFailuresOrRateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  updateMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "lastName": "Okafor-Bello",
         *       "phone": "+251911234567"
         *     }
         */
        'application/json': components['schemas']['UpdateMeInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  logoutAll: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every session ended */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  changePassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "currentPassword": "tangerine-harbour-lantern-42",
         *       "newPassword": "copper-meadow-violin-17"
         *     }
         */
        'application/json': components['schemas']['ChangePasswordInput'];
      };
    };
    responses: {
      /** @description Password changed */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['WrongPasswordOrAccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['TooManyLoginFailuresOrRateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listMySessions: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['UserSession'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  endMySession: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The session id.
         * @example 9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Session ended */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'session_not_found' | 'not_found';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  becomeHost: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'already_host';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listUsers: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
        role?: 'guest' | 'host' | 'admin';
        status?: 'active' | 'suspended' | 'closed';
        /** @description Case-insensitive prefix of the e-mail. */
        email?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AdminUser'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  setUserStatus: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The user id.
         * @example 3f6b2c1a-7d4e-4f8a-9b0c-1d2e3f4a5b6c
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "status": "suspended"
         *     }
         */
        'application/json': components['schemas']['AdminUpdateUserInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AdminUser'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['UserNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'account_closed';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'cannot_change_own_status' | 'validation_failed' | 'invalid_value';
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listAuditEntries: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
        /** @description Only entries with this action, e.g. `auth.login_failed`. */
        action?: string;
        /** @description Only entries by this actor. */
        actorId?: string;
        /** @description Only entries about this kind of thing, e.g. `user`, `booking`, `ip`. */
        entity?: string;
        /** @description Only entries about this one (with `entity`). */
        entityId?: string;
        /** @description Only entries from this client address. */
        ip?: string;
        /** @description Only entries at or after this instant. */
        from?: string;
        /** @description Only entries before this instant. */
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AdminAuditEntry'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listJobs: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
        /** @description Only jobs in this state. */
        state?: 'pending' | 'relayed' | 'done' | 'dead';
        /** @description Only jobs of this kind, e.g. `users.send-verification-email`. */
        kind?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AdminJob'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  retryJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The job id.
         * @example f47ac10b-58cc-4372-a567-0e02b2c3d479
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AdminJob'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'job_not_found' | 'not_found';
          };
        };
      };
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'job_not_dead';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listMailDeliveries: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
        /** @description `in_doubt` (see `inDoubt`), or only keys in this state; every key when absent. */
        state?: 'in_doubt' | 'sending' | 'failed' | 'sent';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AdminMailDelivery'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  resolveMailDelivery: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The de-duplication key, URL-encoded (keys hold `:` and other reserved characters).
         * @example booking-held:0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f
         */
        key: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "outcome": "resend"
         *     }
         */
        'application/json': components['schemas']['ResolveMailDeliveryInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AdminMailDelivery'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'mail_delivery_not_found' | 'not_found';
          };
        };
      };
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'mail_not_in_doubt' | 'mail_job_missing' | 'mail_job_running';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listBlockedIps: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['BlockedIp'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  blockIp: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "ip": "203.0.113.0/24",
         *       "reason": "Credential stuffing from this range."
         *     }
         */
        'application/json': {
          /** @example 203.0.113.0/24 */
          ip: string;
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BlockedIp'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'ip_already_blocked' | 'block_list_full';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'range_too_wide' | 'would_block_yourself' | 'validation_failed' | 'invalid_value';
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  unblockIp: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description An address or a CIDR range, URL-encoded (`203.0.113.0%2F24`).
         * @example 203.0.113.0/24
         */
        ip: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'blocked_ip_not_found' | 'not_found';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listSuspiciousIps: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
        /** @description Only the hours flagged for this address. */
        ip?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['SuspiciousIp'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  searchProperties: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
        /**
         * @description Full text over title, description and city.
         * @example river view
         */
        q?: string;
        /**
         * @description City, matched case-insensitively and tolerating typos.
         * @example Lisbon
         */
        city?: string;
        country?: string;
        /** @description Minimum nightly price, minor units; with `checkIn` + `checkOut`, of the stay’s average nightly price (its nights’ prices summed over its nights, rounded half up), which the price sorts then use too. */
        minPrice?: number;
        /** @description Maximum nightly price, minor units; with dates, of the stay’s average nightly price. */
        maxPrice?: number;
        guests?: number;
        checkIn?: string;
        checkOut?: string;
        /** @description Comma list; every one is required. */
        amenities?: string;
        propertyType?: 'apartment' | 'house' | 'room' | 'cabin' | 'villa' | 'other';
        lat?: number;
        lng?: number;
        radiusKm?: number;
        /** @description Default `relevance` with `q`, else `newest`. */
        sort?: 'relevance' | 'price_asc' | 'price_desc' | 'rating' | 'newest';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Property'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  createProperty: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "title": "Sunny flat by the river",
         *       "description": "Two bedrooms on the third floor, a short walk from the old town.",
         *       "propertyType": "apartment",
         *       "address": {
         *         "line1": "Rua das Flores 12",
         *         "city": "Lisbon",
         *         "postalCode": "1200-195",
         *         "country": "PT"
         *       },
         *       "latitude": 38.7107,
         *       "longitude": -9.1427,
         *       "timezone": "Europe/Lisbon",
         *       "currency": "EUR",
         *       "nightlyPrice": 12500,
         *       "cleaningFee": 3000,
         *       "weeklyDiscountPercent": 10,
         *       "weekendPrice": 14500,
         *       "minNights": 2,
         *       "maxNights": 30,
         *       "maxGuests": 4,
         *       "bedrooms": 2,
         *       "beds": 3,
         *       "bathrooms": 1.5,
         *       "amenities": [
         *         "wifi",
         *         "kitchen",
         *         "washer"
         *       ],
         *       "cancellationPolicy": "moderate",
         *       "status": "listed"
         *     }
         */
        'application/json': components['schemas']['CreatePropertyInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Property'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['HostRequiredOrAccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getProperty: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description The `ETag` of a copy the client holds: 304 while it is still current.
         * @example "kq3bS1cWvZyTnB0r9d7X4uWm2aE"
         */
        'if-none-match'?: string;
      };
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Property'];
        };
      };
      /** @description Not modified: the copy the client holds is current */
      304: {
        headers: {
          ETag: components['headers']['ETag'];
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  deleteProperty: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'property_has_bookings';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  updateProperty: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "nightlyPrice": 13500,
         *       "weekendPrice": 15500,
         *       "minNights": 3,
         *       "address": {
         *         "postalCode": "1200-196"
         *       }
         *     }
         */
        'application/json': components['schemas']['UpdatePropertyInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Property'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getPropertyAvailability: {
    parameters: {
      query: {
        /** @example 2027-03-01 */
        from: string;
        /**
         * @description Exclusive; at most 366 days after `from`.
         * @example 2027-04-01
         */
        to: string;
      };
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Availability'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  createCalendarBlock: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "start": "2027-04-01",
         *       "end": "2027-04-05",
         *       "note": "Repainting."
         *     }
         */
        'application/json': components['schemas']['CreateBlockInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Block'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'dates_unavailable';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'block_in_past' | 'block_too_long' | 'validation_failed' | 'invalid_value';
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  deleteCalendarBlock: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
        /**
         * @description The block id.
         * @example 1b4e28ba-2fa1-4d2b-883f-0016d3cca427
         */
        blockId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'property_not_found' | 'block_not_found' | 'not_found';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listMyProperties: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
        status?: 'draft' | 'listed' | 'unlisted';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Property'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['HostRequiredOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getPropertyCalendar: {
    parameters: {
      query: {
        /**
         * @description The first night.
         * @example 2027-03-01
         */
        from: string;
        /**
         * @description Exclusive; at most 366 days after `from`.
         * @example 2027-04-01
         */
        to: string;
      };
      header?: {
        /**
         * @description The `ETag` of a copy the client holds: 304 while it is still current.
         * @example "kq3bS1cWvZyTnB0r9d7X4uWm2aE"
         */
        'if-none-match'?: string;
      };
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Calendar'];
        };
      };
      /** @description Not modified: the copy the client holds is current */
      304: {
        headers: {
          ETag: components['headers']['ETag'];
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  setCalendarPrices: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "ranges": [
         *         {
         *           "start": "2027-07-01",
         *           "end": "2027-09-01",
         *           "nightlyPrice": 18000,
         *           "minNights": 3
         *         },
         *         {
         *           "start": "2027-12-24",
         *           "end": "2027-12-27",
         *           "nightlyPrice": 25000
         *         },
         *         {
         *           "start": "2027-10-01",
         *           "end": "2027-10-08"
         *         }
         *       ]
         *     }
         */
        'application/json': components['schemas']['SetCalendarPricesInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CalendarPrices'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'too_many_price_overrides';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'prices_out_of_window' | 'validation_failed' | 'invalid_value';
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listPropertyPhotos: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PhotoList'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  createPropertyPhoto: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "file": "(the image’s bytes)",
         *       "caption": "Living room in the morning light"
         *     }
         */
        'multipart/form-data': components['schemas']['UploadPhotoForm'];
      };
    };
    responses: {
      /** @description Accepted: the work is queued */
      202: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Photo'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'too_many_photos';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'photo_too_many_pixels' | 'photo_too_small' | 'validation_failed' | 'invalid_value';
          };
        };
      };
      /** @description Too Many Requests */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'photo_upload_limit' | 'rate_limited';
          };
        };
      };
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  setPhotoOrder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "order": [
         *         "5d1e8c3a-9b7f-4e2d-a6c4-3f8b1e9d7a25",
         *         "8f14e45f-ceea-4e7a-9b1d-2c3e4f5a6b7c"
         *       ]
         *     }
         */
        'application/json': components['schemas']['ReorderPhotosInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PhotoList'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'photo_order_mismatch' | 'validation_failed' | 'invalid_value';
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  deletePhoto: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
        /**
         * @description The photo id.
         * @example 5d1e8c3a-9b7f-4e2d-a6c4-3f8b1e9d7a25
         */
        photoId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrPhotoNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  updatePhoto: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
        /**
         * @description The photo id.
         * @example 5d1e8c3a-9b7f-4e2d-a6c4-3f8b1e9d7a25
         */
        photoId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "caption": "The terrace at sunset"
         *     }
         */
        'application/json': components['schemas']['UpdatePhotoInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Photo'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrPhotoNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  quoteStay: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "propertyId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
         *       "checkIn": "2027-03-12",
         *       "checkOut": "2027-03-19",
         *       "guests": 2
         *     }
         */
        'application/json': components['schemas']['QuoteRequest'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BookingQuote'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?:
              | 'check_in_in_past'
              | 'check_in_passed'
              | 'check_in_too_far'
              | 'too_many_guests'
              | 'property_not_listed'
              | 'own_property'
              | 'min_nights'
              | 'max_nights'
              | 'validation_failed'
              | 'invalid_value';
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listMyBookings: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
        /** @description `guest` (default): your own trips. `host`: bookings of your properties. */
        as?: 'guest' | 'host';
        /** @description Only bookings in this status. */
        status?: 'pending' | 'requested' | 'confirmed' | 'declined' | 'canceled' | 'expired' | 'completed';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Booking'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  createBooking: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description Makes the request safe to retry: 1–255 printable ASCII characters, unique per request (a UUID). A repeat with the same key and request within 24 h answers the first response again, with `Idempotent-Replayed: true`; the same key with another request is refused (422 `idempotency_key_reused`); a repeat while the first is still running gets 409 `idempotency_in_progress` with `Retry-After`. Keys are per user. Server errors (5xx) are not kept: a retry runs again.
         * @example 5f0c7a52-8d3e-4b1f-9a61-2c4e8b7d9f10
         */
        'idempotency-key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "propertyId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
         *       "checkIn": "2027-03-12",
         *       "checkOut": "2027-03-19",
         *       "guests": 2
         *     }
         */
        'application/json': components['schemas']['CreateBookingInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Booking'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'dates_unavailable' | 'too_many_holds' | 'idempotency_in_progress';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?:
              | 'check_in_in_past'
              | 'check_in_passed'
              | 'check_in_too_far'
              | 'too_many_guests'
              | 'property_not_listed'
              | 'own_property'
              | 'min_nights'
              | 'max_nights'
              | 'validation_failed'
              | 'invalid_value'
              | 'idempotency_key_reused';
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getBooking: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The booking id.
         * @example 0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BookingDetail'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['BookingNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  cancelBooking: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The booking id.
         * @example 0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "reason": "Our plans changed; sorry for the short notice."
         *     }
         */
        'application/json': components['schemas']['CancelBookingInput'] | null;
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Booking'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['BookingNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'booking_not_cancelable' | 'stay_started';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  exportHostBookings: {
    parameters: {
      query: {
        /** @description Whose bookings: `host`, the bookings of the caller’s own places (the only export). */
        as?: 'host';
        /**
         * @description First check-in date included (YYYY-MM-DD).
         * @example 2027-01-01
         */
        from: string;
        /**
         * @description Check-in dates before this one are included (exclusive); at most 1096 days after `from`.
         * @example 2028-01-01
         */
        to: string;
        /** @description `csv` (RFC 4180, header row; default) or `ndjson` (one booking as JSON per line). */
        format?: 'csv' | 'ndjson';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The export, streamed. */
      200: {
        headers: {
          'Content-Disposition': components['headers']['ContentDisposition'];
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'text/csv': string;
          'application/x-ndjson': string;
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  acceptBooking: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The booking id.
         * @example 0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Booking'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotBookingHostOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['BookingNotFoundOrNotFound'];
      409: components['responses']['BookingNotRequested'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  declineBooking: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The booking id.
         * @example 0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "reason": "Sorry, the place is not available for a group that size."
         *     }
         */
        'application/json': components['schemas']['DeclineBookingInput'] | null;
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Booking'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotBookingHostOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['BookingNotFoundOrNotFound'];
      409: components['responses']['BookingNotRequested'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  startPayment: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description Makes the request safe to retry: 1–255 printable ASCII characters, unique per request (a UUID). A repeat with the same key and request within 24 h answers the first response again, with `Idempotent-Replayed: true`; the same key with another request is refused (422 `idempotency_key_reused`); a repeat while the first is still running gets 409 `idempotency_in_progress` with `Retry-After`. Keys are per user. Server errors (5xx) are not kept: a retry runs again.
         * @example 5f0c7a52-8d3e-4b1f-9a61-2c4e8b7d9f10
         */
        'idempotency-key'?: string;
      };
      path: {
        /**
         * @description The booking id.
         * @example 0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Payment'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotBookingGuestOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['BookingNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'booking_not_payable' | 'idempotency_in_progress';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'validation_failed' | 'invalid_value' | 'idempotency_key_reused';
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['PaymentProviderUnavailableOrUnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getPayment: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The payment id.
         * @example 6ba7b810-9dad-41d1-80b4-00c04fd430c8
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Payment'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'payment_not_found' | 'not_found';
          };
        };
      };
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  receivePaymentWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example sandbox */
        provider: 'sandbox' | 'chapa' | 'stripe';
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookAck'];
        };
      };
      /** @description Bad Request */
      400: {
        headers: {
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'malformed_request';
          };
        };
      };
      /** @description Unauthorized */
      401: {
        headers: {
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'invalid_signature' | 'invalid_token' | 'session_ended';
          };
        };
      };
      /** @description Forbidden */
      403: {
        headers: {
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'account_suspended' | 'ip_blocked';
          };
        };
      };
      /** @description Not Found */
      404: {
        headers: {
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'payment_provider_not_found' | 'not_found';
          };
        };
      };
      /** @description Content Too Large */
      413: {
        headers: {
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'body_too_large';
          };
        };
      };
      /** @description Unsupported Media Type */
      415: {
        headers: {
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'unsupported_media_type';
          };
        };
      };
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'invalid_webhook' | 'validation_failed' | 'invalid_value';
          };
        };
      };
      /** @description Too Many Requests */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'rate_limited';
          };
        };
      };
      /** @description Internal Server Error */
      500: {
        headers: {
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'internal_error';
          };
        };
      };
      /** @description Service Unavailable */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'payment_provider_unavailable' | 'unavailable' | 'migrations_pending' | 'overloaded';
          };
        };
      };
    };
  };
  createReview: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The booking id.
         * @example 0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "rating": 5,
         *       "comment": "Bright, quiet and spotless; the host was quick to answer."
         *     }
         */
        'application/json': components['schemas']['CreateReviewInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Review'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotBookingGuestOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['BookingNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'stay_not_completed' | 'already_reviewed';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ReviewWindowClosedOrValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  createGuestReview: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The booking id.
         * @example 0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "rating": 5,
         *       "comment": "Bright, quiet and spotless; the host was quick to answer."
         *     }
         */
        'application/json': components['schemas']['CreateReviewInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Review'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotBookingHostOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['BookingNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'stay_not_completed' | 'guest_already_reviewed';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ReviewWindowClosedOrValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listUserReviews: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        /**
         * @description The user id.
         * @example 3f6b2c1a-7d4e-4f8a-9b0c-1d2e3f4a5b6c
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['PublicReview'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['UserNotFoundOrNotFound'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getReview: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The review id.
         * @example e4d909c2-90d0-4b0e-9a5b-0c0e1f2a3b4c
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PublicReview'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['ReviewNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listPropertyReviews: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['PublicReview'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  respondToReview: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The review id.
         * @example e4d909c2-90d0-4b0e-9a5b-0c0e1f2a3b4c
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "body": "Thank you for staying with us. Come back any time!"
         *     }
         */
        'application/json': components['schemas']['RespondToReviewInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Review'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      /** @description Forbidden */
      403: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'not_property_host' | 'account_suspended' | 'ip_blocked';
          };
        };
      };
      404: components['responses']['ReviewNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'already_responded' | 'review_not_published' | 'review_not_respondable';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listMyConversations: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Conversation'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  startConversation: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "propertyId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
         *       "body": "Hello! Is there room for a baby cot in the bedroom?"
         *     }
         */
        'application/json': components['schemas']['StartConversationInput'];
      };
    };
    responses: {
      /** @description The message was added to the caller’s existing conversation about the place */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Conversation'];
        };
      };
      /** @description The message opened a new conversation */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Conversation'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'conversation_exists';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'own_property' | 'validation_failed' | 'invalid_value';
          };
        };
      };
      429: components['responses']['MessageRateLimitedOrRateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getConversation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The conversation id.
         * @example c56a4180-65aa-42ec-a945-5fd21dec0538
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Conversation'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['ConversationNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listMessages: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        /**
         * @description The conversation id.
         * @example c56a4180-65aa-42ec-a945-5fd21dec0538
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Message'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['ConversationNotFoundOrNotFound'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  sendMessage: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The conversation id.
         * @example c56a4180-65aa-42ec-a945-5fd21dec0538
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "body": "Thank you, see you on the 12th around four."
         *     }
         */
        'application/json': components['schemas']['SendMessageInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Message'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['ConversationNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['MessageRateLimitedOrRateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  markConversationRead: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The conversation id.
         * @example c56a4180-65aa-42ec-a945-5fd21dec0538
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Conversation'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['ConversationNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listMyWishlists: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Wishlist'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  createWishlist: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Lisbon in spring"
         *     }
         */
        'application/json': components['schemas']['CreateWishlistInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Wishlist'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'wishlist_limit_reached';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getWishlist: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        /**
         * @description The wishlist id.
         * @example 5d0f8c3e-6a2b-4c1d-9e7f-2a3b4c5d6e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WishlistDetail'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['WishlistNotFoundOrNotFound'];
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  deleteWishlist: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The wishlist id.
         * @example 5d0f8c3e-6a2b-4c1d-9e7f-2a3b4c5d6e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['WishlistNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  updateWishlist: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The wishlist id.
         * @example 5d0f8c3e-6a2b-4c1d-9e7f-2a3b4c5d6e7f
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Lisbon, May",
         *       "shared": true
         *     }
         */
        'application/json': components['schemas']['UpdateWishlistInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Wishlist'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['WishlistNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  saveToWishlist: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The wishlist id.
         * @example 5d0f8c3e-6a2b-4c1d-9e7f-2a3b4c5d6e7f
         */
        id: string;
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        propertyId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Wishlist'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'wishlist_not_found' | 'property_not_found' | 'not_found';
          };
        };
      };
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'wishlist_full';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description Unprocessable Content */
      422: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'property_not_listed' | 'validation_failed' | 'invalid_value';
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  removeFromWishlist: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The wishlist id.
         * @example 5d0f8c3e-6a2b-4c1d-9e7f-2a3b4c5d6e7f
         */
        id: string;
        /**
         * @description The property id.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        propertyId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The list does not keep the place */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['WishlistNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getSharedWishlist: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        /**
         * @description The `shareToken` of a shared wishlist (43 URL-safe characters).
         * @example q3Jx8mR2vT6yB1nK4wE7uZ0pL5sD9fG2hA8cV3bN6mQ
         */
        shareToken: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WishlistDetail'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'shared_wishlist_not_found' | 'not_found';
          };
        };
      };
      422: components['responses']['ValidationFailedOrInvalidCursor'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getIcalFeed: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description The `ETag` of a copy the client holds: 304 while it is still current.
         * @example "kq3bS1cWvZyTnB0r9d7X4uWm2aE"
         */
        'if-none-match'?: string;
      };
      path: {
        /**
         * @description The secret token of the place’s export link followed by `.ics`.
         * @example q0Zx3m1Yw8bU7tGkP2vN5rC9sD4fH6jL0aE1iO3uR7y.ics
         */
        file: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The calendar. */
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'text/calendar': string;
        };
      };
      /** @description Not modified: the copy the client holds is current */
      304: {
        headers: {
          ETag: components['headers']['ETag'];
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['InvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'calendar_not_found' | 'not_found';
          };
        };
      };
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getIcalLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property’s id.
         * @example 0b9f6a52-8f4e-4b8a-9a3c-6d2d8f1e7c11
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IcalLink'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  rotateIcalToken: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property’s id.
         * @example 0b9f6a52-8f4e-4b8a-9a3c-6d2d8f1e7c11
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IcalLink'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['NotPropertyOwnerOrAccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listIcalImports: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property’s id.
         * @example 0b9f6a52-8f4e-4b8a-9a3c-6d2d8f1e7c11
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IcalImportList'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  addIcalImport: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property’s id.
         * @example 0b9f6a52-8f4e-4b8a-9a3c-6d2d8f1e7c11
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "url": "https://www.example-rentals.com/calendar/ical/12345.ics?s=9f8e7d6c",
         *       "name": "Other booking site"
         *     }
         */
        'application/json': components['schemas']['CreateIcalImportInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IcalImport'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrNotFound'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'too_many_ical_imports';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  syncIcalImport: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property’s id.
         * @example 0b9f6a52-8f4e-4b8a-9a3c-6d2d8f1e7c11
         */
        id: string;
        /**
         * @description The imported calendar’s id.
         * @example 3c1e9a7b-2d4f-4e6a-8b0c-5f7d9e1a3b2c
         */
        importId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted: the work is queued */
      202: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IcalImport'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrIcalImportNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      /** @description Too Many Requests */
      429: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'ical_sync_too_soon' | 'rate_limited';
          };
        };
      };
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  removeIcalImport: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The property’s id.
         * @example 0b9f6a52-8f4e-4b8a-9a3c-6d2d8f1e7c11
         */
        id: string;
        /**
         * @description The imported calendar’s id.
         * @example 3c1e9a7b-2d4f-4e6a-8b0c-5f7d9e1a3b2c
         */
        importId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['PropertyNotFoundOrIcalImportNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getPayoutAccount: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PayoutAccount'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'payout_account_not_found';
          };
        };
      };
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['PaymentProviderUnavailableOrUnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  openPayoutAccount: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PayoutAccountLink'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      /** @description Service Unavailable */
      503: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?:
              | 'payouts_unavailable'
              | 'payment_provider_unavailable'
              | 'unavailable'
              | 'migrations_pending'
              | 'overloaded';
          };
        };
      };
    };
  };
  getEarnings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Earnings'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listPayouts: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Payout'][];
            page: {
              nextCursor: string | null;
              hasMore: boolean;
            };
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['InvalidCursorOrValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  exportEarningsStatement: {
    parameters: {
      query: {
        /** @description First day (UTC) of the statement, inclusive. */
        from: string;
        /** @description Last day (UTC), exclusive; at most 366 days after `from`. */
        to: string;
        /** @description `csv` (the only format). */
        format?: 'csv';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The statement, streamed. */
      200: {
        headers: {
          'Content-Disposition': components['headers']['ContentDisposition'];
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'text/csv': string;
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getLedgerCheck: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LedgerCheck'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listEvents: {
    parameters: {
      query?: {
        /** @description Events numbered after this `seq` (0: from the oldest kept). */
        after?: number;
        /** @description Comma-separated event types (all when absent). */
        types?: string;
        /** @description Page size, 1–100 (default 50). */
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventPage'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['HostsOnlyOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listWebhooks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpointList'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['HostsOnlyOrAccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  createWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "url": "https://partner.example.com/hooks/staylane",
         *       "events": [
         *         "booking.confirmed",
         *         "booking.canceled"
         *       ],
         *       "description": "Channel manager"
         *     }
         */
        'application/json': components['schemas']['CreateWebhookInput'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookSecret'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['HostsOnlyOrAccountSuspendedOrIpBlocked'];
      /** @description Conflict */
      409: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'too_many_webhook_endpoints';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  getWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The webhook endpoint’s id.
         * @example 6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpoint'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['WebhookEndpointNotFoundOrNotFound'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  deleteWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The webhook endpoint’s id.
         * @example 6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['WebhookEndpointNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  updateWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The webhook endpoint’s id.
         * @example 6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "events": [
         *         "booking.created",
         *         "booking.canceled"
         *       ],
         *       "enabled": true
         *     }
         */
        'application/json': components['schemas']['UpdateWebhookInput'];
      };
    };
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpoint'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['WebhookEndpointNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  rotateWebhookSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The webhook endpoint’s id.
         * @example 6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookSecret'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['WebhookEndpointNotFoundOrNotFound'];
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        /** @description Page size, 1–100 (default 20). */
        limit?: number;
        /** @description Opaque cursor from `page.nextCursor` of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        /**
         * @description The webhook endpoint’s id.
         * @example 6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryPage'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      404: components['responses']['WebhookEndpointNotFoundOrNotFound'];
      422: components['responses']['InvalidCursorOrValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  redeliverWebhookDelivery: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The webhook endpoint’s id.
         * @example 6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b
         */
        id: string;
        /**
         * @description The delivery’s id.
         * @example 2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d
         */
        deliveryId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted: the work is queued */
      202: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDelivery'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'webhook_endpoint_not_found' | 'webhook_delivery_not_found' | 'not_found';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  exportMyData: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The export, streamed. */
      200: {
        headers: {
          'Content-Disposition': components['headers']['ContentDisposition'];
          'Cache-Control': components['headers']['CacheControl'];
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PersonalDataExport'];
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['AccountSuspendedOrIpBlocked'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
  openQueueDashboard: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OK */
      200: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            path: '/admin/queues';
            /**
             * Format: date-time
             * @description When the cookie stops working; ask for a new one then
             */
            expiresAt: string;
          };
        };
      };
      400: components['responses']['MalformedRequest'];
      401: components['responses']['UnauthorizedOrInvalidTokenOrSessionEnded'];
      403: components['responses']['ForbiddenOrAccountSuspendedOrIpBlocked'];
      /** @description Not Found */
      404: {
        headers: {
          'x-ratelimit-limit': components['headers']['XRatelimitLimit'];
          'x-ratelimit-remaining': components['headers']['XRatelimitRemaining'];
          'x-ratelimit-reset': components['headers']['XRatelimitReset'];
          'x-request-id': components['headers']['XRequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'] & {
            /** @enum {string} */
            code?: 'queue_dashboard_not_found';
          };
        };
      };
      413: components['responses']['BodyTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrInvalidValue'];
      429: components['responses']['RateLimited'];
      500: components['responses']['InternalError'];
      503: components['responses']['UnavailableOrMigrationsPendingOrOverloaded'];
    };
  };
}
