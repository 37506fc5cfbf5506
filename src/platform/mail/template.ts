/**
 * E-mail bodies without a template engine: the HTML part is built with the `html` tag,
 * which escapes every interpolated value unless it is already `SafeHtml` (the output of
 * `html` itself), so a user's name can never become markup.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type HtmlValue = string | number | SafeHtml | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>Hello ${firstName}</p>\`` escapes firstName. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** A link under PUBLIC_URL; query values are URL-encoded. */
export function publicLink(publicUrl: string, pathname: string, query: Record<string, string> = {}): string {
  const url = new URL(pathname, `${publicUrl}/`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

/** One line of plain text: line breaks would let a value forge the next line (or header). */
export const oneLine = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

export interface EmailContent {
  /** Plain text, no line breaks (user values go through `oneLine`). */
  subject: string;
  /** Paragraphs of the body; each is a plain string, escaped in the HTML part. */
  paragraphs: string[];
  /** Headed lists after the paragraphs (a digest's parts); each line is one line of text, escaped in HTML. */
  sections?: { heading: string; lines: string[] }[];
  action?: { label: string; url: string };
  /** Small print under the action, e.g. when the link expires. */
  footer?: string;
}

/** The text and HTML parts of a simple e-mail: greeting, paragraphs, headed lists, one button, small print. */
export function renderEmail(content: EmailContent): { subject: string; text: string; html: string } {
  const { paragraphs, action, footer } = content;
  const sections = (content.sections ?? []).map((s) => ({
    heading: oneLine(s.heading),
    lines: s.lines.map(oneLine),
  }));
  const text = [
    ...paragraphs,
    ...sections.map((s) => [s.heading, ...s.lines.map((l) => `- ${l}`)].join('\n')),
    ...(action ? [`${action.label}: ${action.url}`] : []),
    ...(footer ? [footer] : []),
    '— Staylane',
  ].join('\n\n');
  const body = html`<!doctype html>
    <html>
      <body style="font-family: sans-serif; line-height: 1.5">
        ${paragraphs.map((p) => html`<p>${p}</p> `)}${sections.map(
          (s) =>
            html`<h2 style="font-size: 1.1em">${s.heading}</h2>
              <ul>
                ${s.lines.map((l) => html`<li>${l}</li>`)}
              </ul> `,
        )}${action ? html`<p><a href="${action.url}">${action.label}</a></p> ` : ''}${footer ? html`<p style="color: #666; font-size: 0.9em">${footer}</p> ` : ''}
        <p>— Staylane</p>
      </body>
    </html> `;
  return { subject: oneLine(content.subject), text: `${text}\n`, html: body.value };
}
