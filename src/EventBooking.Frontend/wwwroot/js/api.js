// Small fetch wrapper: JSON in, JSON out, and ProblemDetails turned into something a form can show.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem;
    /** Field name (camelCase, as in the JSON) → list of messages. */
    this.fieldErrors = problem?.errors ?? {};
  }
}

export class NetworkError extends Error {}

export async function request(method, url, { body, headers = {} } = {}) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new NetworkError('We could not reach EventBooking. Check your connection and try again.');
  }

  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

export const getJson = (url) => request('GET', url);
export const postJson = (url, body, headers) => request('POST', url, { body, headers });
