import { createHash } from 'node:crypto';
import { toMajorUnits } from '../../platform/payments/index.js';
import type { SandboxCheckout } from './payments.schemas.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attributes. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
.amount { font-size: 2rem; margin: 1rem 0; }
form { display: inline-block; margin-right: .5rem; }
button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: .4rem; border: 1px solid #888; cursor: pointer; }
button.pay { background: #1a7f37; color: #fff; border-color: #1a7f37; }
.note { color: #666; font-size: .9rem; }
`;

/** The checkout page of a reference: what result and error pages link back to. */
export const checkoutPath = (reference: string) => `/sandbox/checkout/${encodeURIComponent(reference)}`;
/** Where Pay and Decline redirect to (303): reloading it shows the outcome again and pays nothing. */
export const resultPath = (reference: string, delivered = true) =>
  `${checkoutPath(reference)}/result${delivered ? '' : '?delivery=failed'}`;

/**
 * The pages' Content-Security-Policy: nothing loads or runs but the one inline style block
 * (allowed by its hash, so an injected `<style>` would not apply), forms post only back to
 * this origin, and no other site may frame the Pay button (clickjacking).
 */
export const SANDBOX_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Staylane sandbox</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<p class="note">Sandbox payments move no money. The outcome reaches Staylane as a signed webhook, as it would from a real provider.</p>
</body>
</html>
`;
}

const amountText = (c: SandboxCheckout) => `${toMajorUnits(c.amount, c.currency)} ${c.currency}`;

/** The checkout page: what is being paid for, and the Pay and Decline buttons. */
export function checkoutPage(c: SandboxCheckout): string {
  const base = checkoutPath(c.reference);
  const actions =
    c.status === 'initiated'
      ? `<form method="post" action="${escapeHtml(base)}/pay"><button class="pay" type="submit">Pay</button></form>
<form method="post" action="${escapeHtml(base)}/decline"><button type="submit">Decline</button></form>`
      : `<p>This checkout is settled: the payment is <strong>${escapeHtml(c.status)}</strong>.</p>
<p><a href="${escapeHtml(resultPath(c.reference))}">See the outcome</a></p>`;
  return page(
    'Checkout',
    `<h1>${escapeHtml(c.title)}</h1>
<p>${escapeHtml(c.checkIn)} → ${escapeHtml(c.checkOut)}</p>
<p class="amount">${escapeHtml(amountText(c))}</p>
${actions}`,
  );
}

/**
 * The page Pay and Decline redirect to. `delivered` is false when the provider's webhook did
 * not reach Staylane: a checkout still open then says so and links back to try again.
 */
export function resultPage(c: SandboxCheckout, delivered: boolean): string {
  const open = c.status === 'initiated';
  const heading = open
    ? delivered
      ? 'Not paid yet'
      : 'The payment provider could not reach Staylane'
    : c.status === 'succeeded'
      ? 'Payment received'
      : c.status === 'failed'
        ? 'Payment declined'
        : `Payment ${c.status}`;
  const next = open
    ? `<p>Nothing was charged. <a href="${escapeHtml(checkoutPath(c.reference))}">Back to the checkout</a></p>`
    : `<p>This checkout is settled; paying again charges nothing. <a href="${escapeHtml(checkoutPath(c.reference))}">Back to the checkout</a></p>`;
  return page(
    heading,
    `<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(c.title)}, ${escapeHtml(c.checkIn)} → ${escapeHtml(c.checkOut)}</p>
<p class="amount">${escapeHtml(amountText(c))}</p>
<p>Payment status: <strong>${escapeHtml(c.status)}</strong></p>
${next}`,
  );
}

/** An error as a page rather than problem+json: what went wrong and a way back. */
export function errorPage(
  error: { status: number; title: string; detail: string },
  back: { href: string; label: string },
): string {
  return page(
    error.title,
    `<h1>${escapeHtml(error.title)}</h1>
<p>${escapeHtml(error.detail)}</p>
<p><a href="${escapeHtml(back.href)}">${escapeHtml(back.label)}</a></p>`,
  );
}
