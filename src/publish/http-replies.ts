// Small pieces of the API server: replies, errors that become statuses, and the parsing of request parts.
import type http from 'node:http';

import { describeBounds, parseWholeNumber } from '../whole-number.js';
import { echo, parseIsoDate } from './dates.js';

/** An error a request gets as its answer: a status and a message, always as `{"error": message}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function send(response: http.ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), 'X-Content-Type-Options': 'nosniff', ...headers });
  response.end(body);
}

export function json(response: http.ServerResponse, status: number, value: unknown): void {
  send(response, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

export function sendError(response: http.ServerResponse, error: unknown): void {
  if (response.headersSent) return;
  // one shape for every error, 404s included (OTA answers its 404s with a plain string: docs/repositories.md)
  if (!(error instanceof HttpError)) json(response, 500, { error: error instanceof Error ? error.message : String(error) });
  else json(response, error.status, { error: error.message });
}

export function parseDate(value: string): Date {
  const date = parseIsoDate(value);
  if (date === undefined) throw new HttpError(400, `Invalid date "${echo(value)}": expected an ISO 8601 date that exists, e.g. 2024-01-31T12:00:00Z`);
  return date;
}

/** A boolean query parameter: `true` or `false`, `fallback` when absent. */
export function booleanParameter(url: URL, name: string, fallback: boolean): boolean {
  const value = url.searchParams.get(name);
  if (value === null) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new HttpError(400, `"${name}" must be true or false, not "${echo(value)}"`);
}

/** A whole-number query parameter, `fallback` when absent. */
export function wholeNumberParameter(url: URL, name: string, fallback: number, maximum: number): number {
  const value = url.searchParams.get(name);
  if (value === null) return fallback;
  const number = parseWholeNumber(value, { maximum });
  if (number === undefined) throw new HttpError(400, `"${name}" must be ${describeBounds({ maximum })}`);
  return number;
}

/** A list query parameter: repeated (`?a=x&a=y`) or comma-separated (`?a=x,y`); empty when absent. */
export function listParameter(url: URL, name: string): string[] {
  return url.searchParams.getAll(name).flatMap(value => value.split(',')).map(value => value.trim()).filter(value => value !== '');
}
