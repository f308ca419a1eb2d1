/** The HTML answer for refused or failed page loads (403, 404, 500…). Messages are ours, never an error's text. */
import { html } from './html.js';

const TEXTS: Record<number, { title: string; message: string }> = {
  401: { title: 'Please log in', message: 'You need to log in to see this page.' },
  403: { title: 'Forbidden', message: "You don't have permission to see this page. Ask an administrator to grant it." },
  404: { title: 'Page not found', message: "There's nothing at this address." },
  405: { title: 'JavaScript needed', message: 'This form is sent by the page’s script. Please enable JavaScript and reload the page.' },
  429: { title: 'Too many requests', message: 'Please wait a moment and try again.' },
  503: { title: 'Temporarily unavailable', message: 'A service this page needs is down. Please try again shortly.' },
};

export function errorTexts(status: number): { title: string; message: string } {
  return TEXTS[status] ?? { title: 'Something went wrong', message: 'The server could not handle this request. Please try again.' };
}

export function errorContent(status: number) {
  const { title, message } = errorTexts(status);
  return html`<div class="error-page" id="error-page" data-status="${status}">
  <div class="code">${status}</div>
  <h1>${title}</h1>
  <p class="lead">${message}</p>
  <p><a class="button secondary" href="/">Go to the start page</a></p>
</div>`;
}
