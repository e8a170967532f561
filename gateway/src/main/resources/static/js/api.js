// Calls the gateway's API with the signed-in user's bearer JWT. The token arrives once in the URL
// fragment (#token=…, never sent to a server), moves to sessionStorage and leaves the address bar.

const TOKEN_KEY = 'aicredits.token';

/** Takes a token from the fragment (then removes it from the address bar); returns the token in force or null. */
export function signIn() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fresh = fragment.get('token');
  if (fresh) {
    sessionStorage.setItem(TOKEN_KEY, fresh);
    fragment.delete('token');
    const rest = fragment.toString();
    history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The JWT's subject, for display only (the gateway verifies the token on every call). */
export function signedInUser() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).sub;
  } catch {
    return null;
  }
}

/** A non-2xx answer: the gateway's {statusCode, message} body. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

function url(path, query) {
  const target = new URL(path, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') {
      target.searchParams.set(key, value);
    }
  }
  return target;
}

async function send(path, { method = 'GET', query, body } = {}) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url(path, query), {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not the gateway's JSON error body
    }
    throw new ApiError(response.status, json?.message ?? (text || response.statusText), json);
  }
  return response;
}

/** GET/PUT/POST a JSON API; resolves to the parsed body, rejects with an ApiError. */
export async function api(path, options) {
  const response = await send(path, options);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** Downloads a file answer (e.g. the CSV export) under the name the gateway gives it. */
export async function download(path, query) {
  const response = await send(path, { query });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'download';
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return name;
}
